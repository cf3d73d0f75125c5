// Output is collected into large writes: one stream write per line costs more than a query's
// XPath work on a big fleet. A terminal still sees each file's lines as they come.
export interface BufferedOut {
  (s: string): void;
  /** Called after each file; pushes pending text out when someone is watching. */
  fileDone(): void;
  flush(): void;
}

export function bufferedOut(stream: NodeJS.WritableStream & { isTTY?: boolean }, limit = 1 << 16): BufferedOut {
  let pending = '';
  const flush = () => {
    if (pending) stream.write(pending);
    pending = '';
  };
  const out = ((s: string) => {
    pending += s;
    if (pending.length >= limit) flush();
  }) as BufferedOut;
  out.fileDone = () => { if (stream.isTTY) flush(); };
  out.flush = flush;
  return out;
}
