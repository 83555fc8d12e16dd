/**
 * The help of `courier` and of each command: the one source of the CLI's documentation
 * (docs/cli.md is generated from it). Every option a command accepts is listed here.
 *
 * @example
 * console.log(HELP.upload);
 */
export const HELP: Readonly<Record<'main' | 'login' | 'slots' | 'scan' | 'deidentify' | 'upload', string>> = {
  main: `courier — upload DICOM imaging to a Courier Portal, de-identified on this machine

Usage: courier <command> [options]     (courier <command> --help for details)

Commands:
  login        Store a personal API token for a Portal
  slots        List the upload slots of a subject, with their ids
  scan         Read a folder: studies, series, ignored files, RT tree, sanity checks
  deidentify   De-identify a folder offline into another folder (PS3.15)
  upload       De-identify, upload, verify and assign a study to a slot

Environment:
  COURIER_TOKEN     personal API token (instead of courier login)
  COURIER_PORTAL    Portal URL (instead of --portal)
  COURIER_CONFIG    config file (default $XDG_CONFIG_HOME/courier/config.json or ~/.config/courier/config.json)

Exit status:
  0 done · 1 failed · 2 usage error · 3 blocked by a sanity check · 4 authentication
`,
  login: `Usage: courier login --portal URL [--username NAME] [--token TOKEN]

Stores a personal API token for the Portal in the config file (permissions 0600).
Without --token, asks for the user name and password (or reads COURIER_PASSWORD), logs in,
creates a token named "courier CLI on <host>" and keeps only the token.

Options:
  --portal URL       the Portal, e.g. https://portal.example.org (or COURIER_PORTAL)
  --username NAME    user name (asked when absent)
  --token TOKEN      an existing token (from the Portal's token page, or COURIER_TOKEN): checked, then stored
  -h, --help
`,
  slots: `Usage: courier slots --subject LABEL [--study IDENTIFIER] [--portal URL] [--json]

Lists the upload slots of the scheduled events of the subjects whose label or pseudonym matches
LABEL, one per line: the slot id (for courier upload --slot), subject, event, slot label, expected
modalities and the study the slot holds (or "empty").

Options:
  --subject LABEL        subject label or pseudonym (substring search)
  --study IDENTIFIER     a study identifier, e.g. RT-DEMO-01 (default: every study you belong to)
  --portal URL           the Portal (default: COURIER_PORTAL or the one you logged in to)
  --json                 a JSON array of { slotId, studyId, subjectId, subjectLabel, eventId, event, slotDefinitionId, slot, modalities, value }
  -h, --help
`,
  scan: `Usage: courier scan <path> [--json] [--subject-sex F|M|O] [--subject-birth-date YYYY-MM-DD]

Reads every file under <path> (headers only; zip archives are opened) and prints the DICOM studies
and series, the ignored files with their reasons, the RT tree (CT → RTSTRUCT → RTPLAN → RTDOSE/RTIMAGE)
and, with a subject's sex or birth date, the sanity check results. Nothing leaves the machine.

Options:
  --json                        machine-readable report (below)
  --subject-sex F|M|O           compare Patient's Sex with it
  --subject-birth-date DATE     compare Patient's Birth Date with it (YYYY-MM-DD or YYYY)
  -h, --help

JSON document (version 1):
  { version: 1,
    studies: [{ studyInstanceUID, instanceCount, totalSize,
                series: [{ seriesInstanceUID, modality, description, instanceCount, totalSize, sopClassNames, rt?, … }] }],
    ignored: [{ path, reason (IGNORED_… code), message, detail? }],
    sameFileSkipped, archives: [path],
    rtTree: [{ seriesInstanceUID | missing node, children: […] }],
    missing: [{ id, kind, … }],
    checks?: [{ id, code (SANITY_… code), category, severity, series, expected?, found, message }] }
`,
  deidentify: `Usage: courier deidentify <in> --out <dir> --patient-id ID --patient-name NAME --uid-secret SECRET
                          [--option NAME]... [--date-shift-days N]

De-identifies every DICOM file under <in> per DICOM PS3.15 Annex E (Basic Application Level
Confidentiality Profile and options) and writes <dir>/<new Series UID>/<new SOP Instance UID>.dcm.
Pixel data is copied from the source file in chunks, never decoded. Other files are skipped with a
reason. Check the output with your own tools (e.g. dcmdump).

Options:
  --out DIR              output folder (created; must not be inside <in>)
  --patient-id ID        written as Patient ID (0010,0020)
  --patient-name NAME    written as Patient's Name (0010,0010)
  --uid-secret SECRET    key of the UID remapping (2.25.<HMAC-SHA-256>; at least 16 characters)
  --option NAME          a PS3.15 option by name, Table E.1-1 column or CID 7050 code, repeatable:
                         retainLongitudinalFullDates, retainLongitudinalModifiedDates, retainPatientCharacteristics,
                         retainDeviceIdentity, retainUIDs, retainSafePrivate, retainInstitutionIdentity,
                         cleanDescriptors, cleanStructuredContent, cleanGraphics
                         (default: the trial set retainLongitudinalFullDates retainPatientCharacteristics
                          retainDeviceIdentity retainSafePrivate; --option none for the Basic Profile alone)
  --date-shift-days N    days added to every date (with retainLongitudinalModifiedDates)
  -h, --help
`,
  upload: `Usage: courier upload <path> --slot ID [--portal URL] [--series UID]... [--all-rt]
                      [--acknowledge CHECK]... [--overwrite] [--concurrency N] [--log FILE] [--resume UPLOAD_ID] [--json]

Scans <path>, selects series, runs the sanity checks against the slot's subject, then:
Evaluate → De-identify (Analysed) → Upload (Uploaded) → Verify (Verified). On a terminal, progress
bars per step (files, MB, MB/s, ETA) are redrawn in place on stderr; otherwise plain lines (every 10%).
Verify compares the Portal's size and SHA-256 of every instance with
what was sent, then commits: the Portal assigns the study to the slot. A cut connection or a 502/503/504
is retried with backoff; a failed run can be resumed with --resume (stored instances are skipped).

Options:
  --slot ID              the slot id from courier slots
  --portal URL           the Portal (default: COURIER_PORTAL or the one you logged in to)
  --series UID           upload this series (and, implied, every series it references); repeatable
  --all-rt               upload every series of the study (images and the whole RT set)
                         (default when neither is given and the folder holds one study)
  --acknowledge CHECK    acknowledge a sanity warning by its code (e.g. SANITY_PATIENT_SEX_MISMATCH) or id; repeatable
  --overwrite            replace the study the slot holds (the Portal keeps the previous one in its history)
  --concurrency N        requests in flight (default 3)
  --log FILE             the run's log (JSON Lines, no patient-identifying values; default courier-upload-<id>.log)
  --resume UPLOAD_ID     continue an upload session instead of opening a new one
  --json                 print the outcome as JSON
  -h, --help
`,
};
