declare module 'sax' {
  export type QualifiedTag = { name: string; attributes: Record<string, string>; isSelfClosing: boolean };
  export class SAXParser {
    constructor(strict: boolean, opt?: { trim?: boolean; normalize?: boolean; strictEntities?: boolean });
    onopentag: (tag: QualifiedTag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (err: Error) => void;
    write(chunk: string): this;
    close(): this;
  }
  export function parser(
    strict: boolean,
    opt?: { trim?: boolean; normalize?: boolean; strictEntities?: boolean },
  ): SAXParser;
  const sax: { parser: typeof parser; SAXParser: typeof SAXParser };
  export default sax;
}
