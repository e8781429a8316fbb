//! The OCR cache key: the same page of the same content, read with the same packs by the same
//! Tesseract, gives the same text, whatever the file is called and however often it is indexed.

/// The key of page `page` (1-based) of the file whose BLAKE3 content hash is `content_hash`,
/// read with `packs` (the `-l` argument) by Tesseract `version`: a file name, hex.
pub fn key(content_hash: &str, page: u32, packs: &str, version: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in [content_hash, &page.to_string(), packs, version] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_the_key_matters() {
        let k = key("abc", 2, "spa+eng", "5.3.0");
        assert_eq!(k, key("abc", 2, "spa+eng", "5.3.0"));
        assert_eq!(k.len(), 64);
        for other in [
            key("abd", 2, "spa+eng", "5.3.0"),
            key("abc", 3, "spa+eng", "5.3.0"),
            key("abc", 2, "eng", "5.3.0"),
            key("abc", 2, "spa+eng", "5.4.0"),
            // Parts are length-prefixed: moving a boundary changes the key.
            key("abc2", 2, "spa+eng", "5.3.0"),
        ] {
            assert_ne!(k, other);
        }
    }
}
