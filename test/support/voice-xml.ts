/**
 * A strict reader of Africa's Talking voice responses for tests: the XML declaration, then one
 * `Response` element; elements, attributes in double quotes, text with the five predefined
 * entities and numeric references. Anything else (an unescaped `&` or `<`, a mismatched tag, an
 * attribute twice, text outside the root) throws, as AT would refuse it and end the call.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  return s.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & at ${where}`);
    if (name in ENTITIES) return ENTITIES[name] as string;
    const num = /^#(x[0-9a-fA-F]+|\d+)$/.exec(name);
    if (num) return String.fromCodePoint(Number(num[1]?.startsWith('x') ? `0${num[1]}` : num[1]));
    throw new Error(`unknown entity ${whole} at ${where}`);
  });
}

export function parseVoiceXml(xml: string): XmlElement {
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!xml.startsWith(decl)) throw new Error('missing the XML declaration');
  let i = decl.length;
  const name = /[A-Za-z_][\w.-]*/y;
  const space = /\s*/y;
  const skip = () => {
    space.lastIndex = i;
    space.exec(xml);
    i = space.lastIndex;
  };
  const readName = (): string => {
    name.lastIndex = i;
    const m = name.exec(xml);
    if (!m) throw new Error(`expected a name at ${i}`);
    i = name.lastIndex;
    return m[0];
  };
  function element(): XmlElement {
    if (xml[i] !== '<') throw new Error(`expected < at ${i}`);
    i += 1;
    const el: XmlElement = { name: readName(), attrs: {}, children: [], text: '' };
    for (;;) {
      skip();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i += 1;
        break;
      }
      const attr = readName();
      if (xml[i] !== '=' || xml[i + 1] !== '"') throw new Error(`expected ="…" after ${attr} at ${i}`);
      const end = xml.indexOf('"', i + 2);
      if (end < 0) throw new Error('unterminated attribute');
      const raw = xml.slice(i + 2, end);
      if (raw.includes('<')) throw new Error(`< in attribute ${attr}`);
      if (attr in el.attrs) throw new Error(`attribute ${attr} twice`);
      el.attrs[attr] = decode(raw, i);
      i = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      el.text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== el.name) throw new Error(`</${closing}> closes <${el.name}>`);
        skip();
        if (xml[i] !== '>') throw new Error(`expected > at ${i}`);
        i += 1;
        return el;
      }
      el.children.push(element());
    }
  }
  const root = element();
  if (i !== xml.length) throw new Error('content after the root element');
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(allElements)];
}

const TOP = new Set(['Say', 'Play', 'GetDigits', 'Record', 'Redirect', 'Reject']);
const PROMPTS = new Set(['Say', 'Play']);

/** What is wrong with a response by AT's rules (empty: AT accepts it). Throws if it is not XML at all. */
export function responseProblems(xml: string): string[] {
  const root = parseVoiceXml(xml);
  const problems: string[] = [];
  if (root.name !== 'Response') problems.push(`root is <${root.name}>`);
  if (root.text.trim()) problems.push('text directly in <Response>');
  for (const el of root.children) {
    if (!TOP.has(el.name)) problems.push(`<${el.name}> is not an AT voice element`);
    if (el.name === 'GetDigits' || el.name === 'Record') {
      if (el.children.length !== 1 || !PROMPTS.has(el.children[0]?.name ?? '')) problems.push(`<${el.name}> holds ${el.children.map((c) => `<${c.name}>`).join('') || 'nothing'}, not exactly one Say or Play`);
      if (el.text.trim()) problems.push(`text directly in <${el.name}>`);
    } else if (el.children.length > 0) problems.push(`<${el.name}> has child elements`);
    if (el.name === 'Play' && !el.attrs.url) problems.push('<Play> without a url');
  }
  for (const el of allElements(root)) if (PROMPTS.has(el.name) && el.children.length > 0) problems.push(`<${el.name}> has child elements`);
  return problems;
}

/** Every Play URL of a response, nested ones included. */
export function playUrls(xml: string): string[] {
  return allElements(parseVoiceXml(xml)).filter((e) => e.name === 'Play').map((e) => e.attrs.url as string);
}

/** The prompt key a Play URL names (`…/audio/sw/diary.wage_received.wav` → `diary.wage_received`). */
export const keyOfUrl = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '').replace(/\.(wav|mp3)$/, '');
