// Types for the untyped `dicom-character-set` package (only the function we call).
declare module 'dicom-character-set' {
  /** Decodes `bytes` per a Specific Character Set value ("ISO_IR 100", "\\ISO 2022 IR 87", ...). */
  export function convertBytes(specificCharacterSet: string, bytes: Uint8Array, options?: { vr?: string }): string;
}
