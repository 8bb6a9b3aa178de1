import sanitizeHtml from 'sanitize-html';

/** A CSS value without url(), expression(), javascript: or escapes (no remote loads from inline styles). */
const SAFE_CSS_VALUE = /^(?!.*(url|expression|image-set|javascript|vbscript)\s*[(:])(?!.*[\\<>])[^;{}]{0,200}$/i;
const STYLE_PROPERTIES = [
  'color', 'background-color', 'text-align', 'text-decoration', 'font-size', 'font-weight', 'font-style', 'font-family',
  'line-height', 'white-space', 'direction', 'vertical-align', 'width', 'max-width', 'height', 'margin', 'margin-left',
  'margin-right', 'margin-top', 'margin-bottom', 'padding', 'padding-left', 'padding-right', 'padding-top',
  'padding-bottom', 'border', 'border-left', 'border-right', 'border-top', 'border-bottom', 'border-collapse',
];
const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;

export interface SanitizeOptions {
  /** Content-ID (without <>) → blob key of the stored inline part */
  inlineBlobs?: ReadonlyMap<string, string>;
}

/**
 * Makes an email's HTML safe to render in the operator console (DESIGN.md: "HTML is sanitized
 * before anyone renders it"): no scripts, styles sheets, frames, forms, event handlers or
 * javascript: URLs; links open in a new tab without referrer. Remote content policy: remote
 * images are not loaded — their URL moves to `data-remote-src` (the console may offer "show
 * images") and inline styles cannot load URLs; `cid:` images keep their src and get
 * `data-blob-key` when the inline part was stored; only small data: images of common types stay.
 */
export class EmailHtmlSanitizer {
  sanitize(html: string, options: SanitizeOptions = {}): string {
    const inlineBlobs = options.inlineBlobs ?? new Map<string, string>();
    const styles: Record<string, RegExp[]> = {};
    for (const property of STYLE_PROPERTIES) styles[property] = [SAFE_CSS_VALUE];
    return sanitizeHtml(html, {
      allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'del', 'ins', 'big'],
      allowedAttributes: {
        '*': ['style', 'dir', 'lang', 'title', 'align'],
        a: ['href', 'name', 'target', 'rel'],
        img: ['src', 'alt', 'width', 'height', 'data-blob-key', 'data-remote-src'],
        font: ['color', 'face', 'size'],
        table: ['width', 'border', 'cellpadding', 'cellspacing', 'bgcolor'],
        td: ['colspan', 'rowspan', 'valign', 'width', 'bgcolor'],
        th: ['colspan', 'rowspan', 'valign', 'width', 'bgcolor'],
        ol: ['start', 'type'],
        blockquote: ['cite'],
      },
      allowedStyles: { '*': styles },
      allowedSchemes: ['http', 'https', 'mailto', 'tel'],
      allowedSchemesByTag: { img: ['cid', 'data'] },
      allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
      allowProtocolRelative: false,
      disallowedTagsMode: 'discard',
      transformTags: {
        a: (tagName, attribs) => ({
          tagName,
          attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
        }),
        img: (tagName, attribs) => {
          const { src, ...rest } = attribs;
          const source = (src ?? '').trim();
          if (/^cid:/i.test(source)) {
            const key = inlineBlobs.get(source.slice(4).replace(/^<|>$/g, ''));
            return { tagName, attribs: key ? { ...rest, src: source, 'data-blob-key': key } : { ...rest, src: source } };
          }
          if (SAFE_DATA_IMAGE.test(source) && source.length <= 256 * 1024) return { tagName, attribs: { ...rest, src: source } };
          if (/^https?:\/\//i.test(source)) return { tagName, attribs: { ...rest, 'data-remote-src': source } };
          return { tagName, attribs: rest };
        },
      },
    }).trim();
  }
}
