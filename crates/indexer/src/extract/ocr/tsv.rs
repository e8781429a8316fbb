//! Tesseract's TSV output (`tesseract ... tsv`): one row per block, paragraph, line and word;
//! word rows (level 5) carry a confidence (0 to 100) and the text.

/// A page as Tesseract read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recognised {
    /// The words, a line per line, a blank line between paragraphs.
    pub text: String,
    /// Mean word confidence, 0 to 100; `None` when no word was found.
    pub confidence: Option<f32>,
    /// Words read.
    pub words: usize,
}

/// Reads the TSV; rows that do not parse are skipped (Tesseract writes a header first).
pub fn parse(tsv: &str) -> Recognised {
    let mut text = String::new();
    let mut last: Option<(u32, u32, u32)> = None;
    let (mut sum, mut words) = (0f64, 0usize);
    for row in tsv.lines() {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].parse::<u32>().ok();
        let (Some(block), Some(par), Some(line)) = (num(2), num(3), num(4)) else {
            continue;
        };
        let Ok(conf) = cols[10].parse::<f64>() else {
            continue;
        };
        let word = cols[11..].join("\t");
        let word = word.trim();
        if word.is_empty() || conf < 0.0 {
            continue;
        }
        match last {
            None => {}
            Some((b, p, _)) if (b, p) != (block, par) => text.push_str("\n\n"),
            Some((_, _, l)) if l != line => text.push('\n'),
            Some(_) => text.push(' '),
        }
        last = Some((block, par, line));
        text.push_str(word);
        sum += conf;
        words += 1;
    }
    Recognised {
        text,
        confidence: (words > 0).then(|| (sum / words as f64) as f32),
        words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t
5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tRiverside
5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80.5\tTrust
5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tcharity
5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t95\t   
5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t60\tAnnual
garbage row
";

    #[test]
    fn words_become_lines_and_paragraphs_with_their_mean_confidence() {
        let r = parse(TSV);
        assert_eq!(r.text, "Riverside Trust\ncharity\n\nAnnual");
        assert_eq!(r.words, 4);
        assert_eq!(r.confidence, Some(75.25));
    }

    #[test]
    fn no_words_no_confidence() {
        let r = parse("level\tpage_num\n1\t1\t0\t0\t0\t0\t0\t0\t1\t1\t-1\t\n");
        assert_eq!((r.text.as_str(), r.confidence, r.words), ("", None, 0));
    }
}
