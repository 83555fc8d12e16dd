import { describe, expect, it } from 'vitest';
import { isSlotByName, readOdmMetadata } from './odm-metadata.js';
import { parseOdmXml } from './odm-xml.js';

const odm = (items: string) => `<?xml version="1.0"?>
<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3"><Study OID="S"><MetaDataVersion OID="v2">
<StudyEventDef OID="SE_B" Name="Baseline" Repeating="No"><FormRef FormOID="F"/></StudyEventDef>
<StudyEventDef OID="SE_A" Name="Later" Repeating="Yes"><FormRef FormOID="F"/></StudyEventDef>
<FormDef OID="F" Name="F"><ItemGroupRef ItemGroupOID="IG"/></FormDef>
<ItemGroupDef OID="IG" Name="IG">${items}</ItemGroupDef>
<ItemDef OID="I_A" Name="dicom_a" Comment="From the comment"/>
<ItemDef OID="I_B" Name="B"><Description><TranslatedText xml:lang="de">Planungs-CT</TranslatedText><TranslatedText xml:lang="en">Planning CT</TranslatedText></Description><Alias Context="Courier" Name="dicom-slot"/><Alias Context="Courier:modalities" Name="ct, foo-bar"/></ItemDef>
<ItemDef OID="I_C" Name="WEIGHT"/>
</MetaDataVersion></Study></ODM>`;

describe('the ODM upload-slot rules', () => {
  it('finds slots by the naming rule whatever the case and separators', () => {
    expect(isSlotByName('I_RT_STUDY_INSTANCE_UID', 'X')).toBe(true);
    expect(isSlotByName('I_X', 'Dicom-CT')).toBe(true);
    expect(isSlotByName('I_WEIGHT', 'WEIGHT')).toBe(false);
  });

  it('reads events in document order without a Protocol, labels from Description (English) or Comment, modalities from the alias', () => {
    const metadata = readOdmMetadata(
      parseOdmXml(odm('<ItemRef ItemOID="I_C"/><ItemRef ItemOID="I_B"/><ItemRef ItemOID="I_A"/>')).root,
    );
    expect(metadata.metaDataVersionOid).toBe('v2');
    expect(
      metadata.events.map((e) => [e.oid, e.repeating, e.slots.map((s) => `${s.label}|${s.modalities.join(',')}`)]),
    ).toEqual([
      ['SE_B', false, ['Planning CT|CT', 'From the comment|']],
      ['SE_A', true, ['Planning CT|CT', 'From the comment|']],
    ]);
    expect(metadata.warnings).toContain('ItemDef I_B: modality "foo-bar" is not a DICOM defined term; ignored');
  });

  it('orders items by OrderNumber when the refs give one', () => {
    const metadata = readOdmMetadata(
      parseOdmXml(odm('<ItemRef ItemOID="I_B" OrderNumber="2"/><ItemRef ItemOID="I_A" OrderNumber="1"/>')).root,
    );
    expect(metadata.events[0]!.slots.map((s) => s.itemOid)).toEqual(['I_A', 'I_B']);
  });
});
