//! Turning bytes from a feed into text.

use std::borrow::Cow;

/// Decodes UTF-8 (dropping a byte-order mark), falling back to Windows-1252, the superset of
/// Latin-1 that files labelled Latin-1 really use, when the bytes are not valid UTF-8.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}
