// Minimal typing of the one dcmjs call the benchmark makes (dcmjs 0.51.1 ships no types).
declare module 'dcmjs' {
  interface DicomDict {
    readonly meta: Record<string, unknown>;
    readonly dict: Record<string, unknown>;
  }
  const dcmjs: {
    readonly data: {
      readonly DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null }): DicomDict;
      };
    };
  };
  export default dcmjs;
}
