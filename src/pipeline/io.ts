/** Where commands print: injectable so tests call commands directly and read what they said. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}
