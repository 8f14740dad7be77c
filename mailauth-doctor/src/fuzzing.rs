//! The doctor's fuzz entry point (`fuzz/fuzz_targets/doctor.rs`): the raw
//! fuzz input chooses a sending setup and the DNS answers. Not part of the
//! public API.

use mailauth_core::dnsbl::DnsblList;
use mailauth_core::fuzzing::{FuzzDns, block_on, fields, ip_from};

use crate::{SendingSetup, audit_domain, diagnose};

/// The doctor over DNS the fuzzer answers, for a setup it chooses: never a
/// panic; the text report writes nothing but printable ASCII and line
/// breaks; the JSON report is valid JSON.
pub fn doctor(data: &[u8]) {
    let ([helo, mail_from, from, dkim], rest) = fields::<4>(data);
    let setup = SendingSetup::new(ip_from(rest), helo, mail_from.as_str())
        .from_domain(from)
        .dkim_domain(dkim)
        .dnsbl_lists(DnsblList::builtins().into_iter().take(2).collect());
    let dns = FuzzDns::new(rest.get(17..).unwrap_or_default());
    let audit = block_on(audit_domain(&dns, &mail_from)).ok();
    for report in std::iter::once(block_on(diagnose(&dns, &setup))).chain(audit) {
        let text = report.to_text();
        assert!(
            text.bytes()
                .all(|b| b == b'\n' || (0x20..0x7f).contains(&b)),
            "{text:?}"
        );
        #[cfg(feature = "serde")]
        assert!(serde_json::from_str::<serde_json::Value>(&report.to_json()).is_ok());
    }
}

#[cfg(test)]
mod tests {
    /// The seeds of `fuzz/seeds.txt` for the doctor hold, so that `cargo
    /// test` runs every one.
    #[test]
    fn seed_corpus_holds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let list = std::fs::read_to_string(root.join("fuzz/seeds.txt")).unwrap();
        let mut files = 0;
        for line in list.lines().filter(|l| l.starts_with("doctor ")) {
            let dir = root.join(&line["doctor ".len()..]);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    super::doctor(&std::fs::read(&path).unwrap());
                    files += 1;
                }
            }
        }
        assert!(files > 0, "the doctor has no seeds");
    }
}
