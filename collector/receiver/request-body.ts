/**
 * Reads a request body into memory with hard limits: the bytes on the wire and, for gzip, the
 * bytes after decompression (a gzip bomb is stopped as soon as it passes the limit).
 */
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { SpanliteError } from '../errors.js';

export async function readBoundedBody(
  stream: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return collect(stream, maxBytes, 'body');
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const inflater = encoding === 'deflate' ? createInflate() : createGunzip();
    let wireBytes = 0;
    stream.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) inflater.destroy(tooLarge('compressed body', maxBytes));
    });
    stream.on('error', (error) => inflater.destroy(error));
    stream.pipe(inflater);
    try {
      return await collect(inflater, maxBytes, 'decompressed body');
    } catch (error) {
      stream.unpipe(inflater);
      stream.resume(); // drain the rest so the connection can answer
      if (error instanceof SpanliteError) throw error;
      throw new SpanliteError('undecodableBody', `${encoding} body could not be decompressed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  stream.resume();
  throw new SpanliteError('unsupportedEncoding', `Content-Encoding "${contentEncoding}" is not supported (use gzip or none)`);
}

function collect(stream: Readable, maxBytes: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        stream.resume();
        reject(tooLarge(what, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function tooLarge(what: string, maxBytes: number): SpanliteError {
  return new SpanliteError('payloadTooLarge', `${what} exceeds the limit of ${maxBytes} bytes (SPANLITE_MAX_BODY_BYTES)`);
}
