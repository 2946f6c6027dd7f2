import { manifestJsonSchemaText } from '../../manifest/json-schema.js';
import type { Io } from '../io.js';

export async function schema(io: Io): Promise<number> {
  io.out(manifestJsonSchemaText());
  return 0;
}
