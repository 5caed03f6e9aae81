//! Reading a line, or the rest of a source, while holding at most a given number of its bytes.
//! Past that, the rest of the line (or of the source) is read through and dropped, and only what
//! it was is kept: its length and its first and last non-blank bytes (what sniffing and the
//! `record-too-large` message need). So a record of any size, a 10 GB NDJSON line or a
//! whole-file document, costs at most the limit in memory.

use std::io::{self, BufRead};

/// A UTF-8 byte order mark, which line 1 of a source may start with.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What bytes were, when they were read through without being kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Passed {
    /// How many bytes.
    pub bytes: u64,
    /// The first byte that is not ASCII white space.
    first: Option<u8>,
    /// The last byte that is not ASCII white space.
    last: Option<u8>,
    /// The white space after `last` (all the bytes, when there is no `last`).
    trailing_space: u64,
    /// Whether the last byte is `\r` (the first half of a `\r\n` line end).
    ends_with_cr: bool,
}

impl Passed {
    /// What `bytes` are.
    pub fn of(bytes: &[u8]) -> Passed {
        let mut passed = Passed::default();
        passed.see(bytes);
        passed
    }

    /// Adds `chunk`, which follows the bytes seen so far.
    pub fn see(&mut self, chunk: &[u8]) {
        let Some(&end) = chunk.last() else { return };
        self.bytes += chunk.len() as u64;
        self.ends_with_cr = end == b'\r';
        match chunk.iter().rposition(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                if self.first.is_none() {
                    self.first = chunk.iter().copied().find(|b| !b.is_ascii_whitespace());
                }
                self.last = Some(chunk[i]);
                self.trailing_space = (chunk.len() - i - 1) as u64;
            }
            None => self.trailing_space += chunk.len() as u64,
        }
    }

    /// These bytes, then `next`'s.
    pub fn then(self, next: Passed) -> Passed {
        if next.bytes == 0 {
            return self;
        }
        Passed {
            bytes: self.bytes + next.bytes,
            first: self.first.or(next.first),
            last: next.last.or(self.last),
            trailing_space: if next.last.is_some() { next.trailing_space } else { self.trailing_space + next.bytes },
            ends_with_cr: next.ends_with_cr,
        }
    }

    /// Whether they are only white space.
    pub fn is_blank(&self) -> bool {
        self.first.is_none()
    }

    /// Whether, as a line, they open and close an object or an array, as
    /// [`crate::input::looks_like_document_line`] says.
    pub fn looks_like_document(&self) -> bool {
        matches!((self.first, self.last), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')))
    }

    /// Their length as a line read up to its `\n`: without the `\r` of a `\r\n`.
    pub fn line_bytes(&self) -> u64 {
        self.bytes - u64::from(self.ends_with_cr)
    }

    /// Their length without the white space at their end.
    pub fn trimmed_bytes(&self) -> u64 {
        self.bytes - self.trailing_space
    }
}

/// How reading a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// There was nothing more to read.
    End,
    /// The line (with its `\n`, unless the source ended first) was appended to the buffer.
    Held,
    /// The line held more than the limit before its `\n`: it was read through, nothing of it
    /// was kept, and this is what it was (its `\n` excluded; on line 1, a leading byte order
    /// mark excluded too).
    Passed(Passed),
}

/// Appends the next line of `reader` to `buf`, as `read_until(b'\n', buf)` does, unless it holds
/// more than `max` bytes before its `\n` (a leading byte order mark not counted when
/// `first_line`): then it is read through to its end, `buf` is left as it was, and what the line
/// was is returned. At most `max` bytes (and the mark) of a line are ever held.
///
/// # Errors
///
/// Reading fails; what was read of the line may have been appended to `buf`.
pub fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize, first_line: bool) -> io::Result<Line> {
    let start = buf.len();
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if buf.len() == start { Line::End } else { Line::Held });
        }
        let newline = memchr::memchr(b'\n', chunk);
        let content = newline.unwrap_or(chunk.len());
        // A byte order mark (or the part of one read so far) at the start of line 1 is not counted.
        let head = buf[start..].iter().chain(&chunk[..content]).take(BOM.len());
        let matched = head.clone().zip(BOM).take_while(|(a, b)| a == b).count();
        let mark = if first_line && matched == head.count() { matched } else { 0 };
        if buf.len() - start + content > max + mark {
            // Over the limit: what is held and this chunk are seen, the rest is read through.
            let mut passed = Passed::default();
            let held = &buf[start..];
            if held.len() >= mark {
                passed.see(&held[mark..]);
                passed.see(&chunk[..content]);
            } else {
                passed.see(&chunk[mark - held.len()..content]);
            }
            buf.truncate(start);
            let ended = newline.is_some();
            reader.consume(content + usize::from(ended));
            if !ended {
                pass_line(reader, &mut passed)?;
            }
            return Ok(Line::Passed(passed));
        }
        let take = newline.map_or(chunk.len(), |i| i + 1);
        buf.extend_from_slice(&chunk[..take]);
        reader.consume(take);
        if newline.is_some() {
            return Ok(Line::Held);
        }
    }
}

/// Reads through the rest of a line (up to and including its `\n`, or to the end of the
/// source), adding what it is to `passed`.
///
/// # Errors
///
/// Reading fails.
pub fn pass_line(reader: &mut impl BufRead, passed: &mut Passed) -> io::Result<()> {
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', chunk) {
            Some(i) => {
                passed.see(&chunk[..i]);
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                passed.see(chunk);
                reader.consume(n);
            }
        }
    }
}

/// Appends the rest of `reader` to `buf`, unless `buf` would then hold more than `max` bytes
/// before the white space at its end: then the rest is read through, `buf` is emptied, and what
/// its bytes and the rest were is returned. Bytes past `max` are never held (white space at the
/// end past it is left out of `buf`).
///
/// # Errors
///
/// Reading fails; `buf` then holds what was read, up to the limit.
pub fn read_to_end(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Option<Passed>> {
    let mut rest = Passed::default();
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let n = chunk.len();
        if n == 0 {
            break;
        }
        // Bytes up to the limit are held, the rest only seen: the document is too large when
        // something other than white space comes after the limit.
        let room = if rest.bytes == 0 { max.saturating_sub(buf.len()).min(n) } else { 0 };
        buf.extend_from_slice(&chunk[..room]);
        rest.see(&chunk[room..]);
        reader.consume(n);
    }
    // Past the limit, only white space at the end may have been left out.
    if rest.is_blank() && buf.trim_ascii_end().len() <= max {
        return Ok(None);
    }
    let passed = Passed::of(buf).then(rest);
    *buf = Vec::new();
    Ok(Some(passed))
}

/// Reads through the rest of `reader`, and says what it was.
///
/// # Errors
///
/// Reading fails.
pub fn pass_to_end(reader: &mut impl BufRead) -> io::Result<Passed> {
    let mut buf = Vec::new();
    Ok(read_to_end(reader, &mut buf, 0)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out `chunk` bytes at a time, as a pipe does.
    struct Trickle<'a> {
        bytes: &'a [u8],
        chunk: usize,
    }

    impl io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.bytes.len().min(self.chunk).min(out.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn lines(text: &[u8], max: usize, chunk: usize) -> Vec<Result<Vec<u8>, u64>> {
        let mut reader = io::BufReader::with_capacity(chunk, Trickle { bytes: text, chunk });
        let mut out = Vec::new();
        let mut first = true;
        loop {
            let mut buf = Vec::new();
            match read_line(&mut reader, &mut buf, max, first).unwrap() {
                Line::End => return out,
                Line::Held => out.push(Ok(buf)),
                Line::Passed(p) => out.push(Err(p.line_bytes())),
            }
            first = false;
        }
    }

    #[test]
    fn lines_over_the_limit_are_passed_in_any_chunking() {
        let text = b"\xEF\xBB\xBF12345\n123456\r\n\n1234567\n12345";
        for chunk in [1, 2, 3, 5, 64] {
            let found = lines(text, 5, chunk);
            assert_eq!(found, [Ok(b"\xEF\xBB\xBF12345\n".to_vec()), Err(6), Ok(b"\n".to_vec()), Err(7), Ok(b"12345".to_vec())], "{chunk}");
            // The mark counts on lines other than the first.
            assert_eq!(lines(b"\n\xEF\xBB\xBF12\n", 4, chunk), [Ok(b"\n".to_vec()), Err(5)], "{chunk}");
        }
    }

    #[test]
    fn lines_are_held_up_to_the_limit() {
        let mut source = &b"{\"a\":1}\n{\"a\":\"a long line\"}\n[]"[..];
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut source, &mut buf, 10, true).unwrap(), Line::Held);
        assert_eq!(buf, b"{\"a\":1}\n");
        let Line::Passed(passed) = read_line(&mut source, &mut buf, 10, false).unwrap() else { panic!("too long") };
        assert_eq!((passed.bytes, passed.looks_like_document(), buf.len()), (19, true, 8));
        assert_eq!(read_line(&mut source, &mut buf, 10, false).unwrap(), Line::Held);
        assert_eq!(read_line(&mut source, &mut buf, 10, false).unwrap(), Line::End);
    }

    #[test]
    fn a_document_is_held_up_to_the_limit_white_space_after_it_aside() {
        let mut buf = b"{\n".to_vec();
        assert_eq!(read_to_end(&mut &b"  \"a\": 1\n}\n\n"[..], &mut buf, 12).unwrap(), None, "12 bytes before the trailing blank lines");
        assert_eq!(buf, b"{\n  \"a\": 1\n}");
        let mut buf = b"{\n".to_vec();
        let passed = read_to_end(&mut &b"  \"a\": 10\n}\n"[..], &mut buf, 12).unwrap().expect("over the limit");
        assert_eq!((passed.bytes, passed.trimmed_bytes(), buf.len()), (14, 13, 0));
        // In pieces, with the limit inside one.
        let text = b"[1,\n2,\n3]   \n";
        for chunk in [1, 2, 4] {
            let reader = &mut io::BufReader::with_capacity(chunk, Trickle { bytes: text, chunk });
            let mut buf = Vec::new();
            assert_eq!(read_to_end(reader, &mut buf, 9).unwrap(), None, "{chunk}");
            let reader = &mut io::BufReader::with_capacity(chunk, Trickle { bytes: text, chunk });
            assert_eq!(read_to_end(reader, &mut Vec::new(), 8).unwrap().map(|p| p.trimmed_bytes()), Some(9), "{chunk}");
        }
    }

    #[test]
    fn what_was_passed_is_known_without_holding_it() {
        let line = Passed::of(b" {\"type\":\"track\"} \r");
        assert!(line.looks_like_document() && !line.is_blank());
        assert_eq!((line.bytes, line.line_bytes(), line.trimmed_bytes()), (19, 18, 17));
        assert_eq!(Passed::of(b"\n [1,").then(Passed::of(b"2] \n")), Passed::of(b"\n [1,2] \n"));
        assert_eq!(Passed::of(b"{}").then(Passed::of(b"  ")), Passed::of(b"{}  "));
        let mut passed = Passed::default();
        for chunk in [&b"  "[..], b"[1,", b"  ", b"", b"2] ", b"\r"] {
            passed.see(chunk);
        }
        assert_eq!(passed, Passed::of(b"  [1,  2] \r"));
        assert!(passed.looks_like_document());
        assert_eq!((passed.bytes, passed.line_bytes(), passed.trimmed_bytes()), (11, 10, 9));
        assert!(Passed::of(b" \t\r").is_blank());
        assert_eq!(pass_to_end(&mut &b"{}\n\n"[..]).unwrap().trimmed_bytes(), 2);
    }
}
