/**
 * The one input layer of every CLI command that reads files (`render`, `convert` and `migrate`
 * values and `--set-file` files, `diff`'s and `check`'s synth output, `check --nodes`): reads a
 * file within a byte bound (a device like /dev/zero never ends), never blocks (a FIFO, socket or
 * terminal is refused, whether named directly or through a symlink), and decodes it the way Helm
 * does: UTF-8, with a UTF-8 BOM dropped and UTF-16 files (with a BOM) decoded; invalid UTF-8 is
 * refused instead of turning into U+FFFD. YAML is parsed within bounds on nesting, entries and
 * aliases by `parseYamlDocuments` (core/yaml-read). Every failure is the caller's error (exit 2), with the file named.
 */
import * as fs from 'fs';

const CHUNK = 64 * 1024;

/** The file's bytes, at most `maxBytes` of them; `fail(why)` builds the error to throw. */
function readBounded(file: string, maxBytes: number, fail: (why: string) => Error): Buffer {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO without a writer, or a terminal, must not hang.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : code === 'ELOOP' ? 'a symlink loop' : `cannot read (${code ?? 'unknown error'})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw fail('is a directory, not a file');
    if (st.isFIFO() || st.isSocket()) throw fail('is a FIFO or socket, not a file (give a regular file)');
    if (st.isBlockDevice()) throw fail('is a block device, not a file (give a regular file)');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw fail(`larger than ${maxBytes} bytes, the most this input is read up to`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    // EAGAIN: a terminal or other device with nothing to read now (it would block).
    if ((e as NodeJS.ErrnoException).code !== undefined) throw fail(`cannot read (${(e as NodeJS.ErrnoException).code}${(e as NodeJS.ErrnoException).code === 'EAGAIN' ? ': a device that would block, not a file' : ''})`);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes to text: UTF-16 by its BOM, else strict UTF-8 (a UTF-8 BOM is dropped). */
export function decodeInput(bytes: Buffer, fail: (why: string) => Error): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const le = Buffer.from(bytes.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    const at = firstInvalidUtf8(bytes.subarray(start)) + start;
    throw fail(`not valid UTF-8 (at byte ${at}); Helm refuses it too`);
  }
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let lo = 0;
  let hi = b.length;
  // Binary search on prefixes that decode (a prefix may end mid-sequence, so allow 3 bytes slack).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Reads and decodes an input file within `maxBytes`. */
export function readBoundedText(file: string, maxBytes: number, fail: (why: string) => Error): string {
  return decodeInput(readBounded(file, maxBytes, fail), fail);
}

