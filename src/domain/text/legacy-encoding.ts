/**
 * Detection of Vietnamese typed in the legacy TCVN3 (ABC) or VNI encodings and read as Windows-1252
 * (TCVN 6909:2001 requires Unicode). Such text is full of Latin-1 letters and symbols that do not
 * belong to the Vietnamese alphabet (`Céng hoµ x· héi`, `Coäng hoøa`), or of capital accented letters
 * in the middle of lower-case words (`QuyÕt`), which is how TCVN3 writes lower-case vowels.
 */

/** Latin-1 letters that are part of Vietnamese in Unicode (NFC). */
const VIETNAMESE_LATIN1 = new Set('ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý');

/** Windows-1252 characters that legacy encodings produce and Vietnamese text does not use. */
function isForeignLatin1(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c >= 0xc0 && c <= 0xff) return !VIETNAMESE_LATIN1.has(ch);
  // ¡ ¢ £ ¤ ¥ ¦ § ¨ ª ¬ ® ¯ ± ² ³ ´ µ ¶ · ¸ ¹ º ¼ ½ ¾ ¿ — but not ° « » © and the no-break space.
  if (c >= 0xa1 && c <= 0xbf) return ![0xa9, 0xab, 0xb0, 0xbb].includes(c);
  // The Windows-1252 extras that only appear through a wrong code page: ƒ ˆ Š Œ Ž ˜ š œ ž Ÿ.
  return [0x192, 0x2c6, 0x160, 0x152, 0x17d, 0x2dc, 0x161, 0x153, 0x17e, 0x178].includes(c);
}

const VOWELS = new Set('aeiouyâêôăơư');
const isLatin1Letter = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return c >= 0xc0 && c <= 0xff && c !== 0xd7 && c !== 0xf7;
};
const isLower = (ch: string | undefined) => ch !== undefined && ch !== ch.toUpperCase() && ch === ch.toLowerCase();
const isLetter = (ch: string | undefined) => ch !== undefined && /\p{L}/u.test(ch);

/** True when the text is evidently TCVN3 or VNI mojibake rather than Unicode Vietnamese. */
export function looksLikeLegacyVietnamese(text: string): boolean {
  const chars = [...text];
  let suspicious = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (isLatin1Letter(ch) && ch === ch.toUpperCase() && ch !== ch.toLowerCase() && isLower(prev) && isLower(next)) {
      // A capital accented letter inside a lower-case word: how TCVN3 writes lower-case vowels (ViÖt, QuyÕt).
      suspicious += 2;
    } else if (isForeignLatin1(ch) && isLower(ch) && prev !== undefined && VOWELS.has(prev.toLowerCase())) {
      // A foreign mark right after a vowel: how VNI writes tones and hats (Vieät, hoøa).
      suspicious += 2;
    } else if (isForeignLatin1(ch) && (isLetter(prev) || isLetter(next))) {
      suspicious++;
    }
    if (suspicious >= 2) return true;
  }
  // A single stray mark is allowed (a foreign name such as "Müller"); two inside words are not.
  return false;
}
