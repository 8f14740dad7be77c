//! DKIM (RFC 6376, RFC 8463) on the in-memory backend, over a corpus this
//! file generates: messages of 2 KB, 20 KB and 1 MB, signed with an
//! RSA-2048 key (`mailauth-core/tests/data/dkim/rsa2048.pk8.b64`) and an
//! Ed25519 key, relaxed/relaxed and simple/simple.
//!
//! - `dkim_verify/<alg>_<canon>_<size>`: one whole verification (parse,
//!   key lookup and parse, canonicalization, both hashes, the signature).
//! - `dkim_parts/sha256_<size>`: SHA-256 over the message's bytes, the
//!   hashing a verification cannot avoid;
//!   `dkim_parts/<alg>_signature`: the signature operation alone over a
//!   header hash input of the same size as the corpus's.
//!
//! The share of a verification spent outside hashing and the signature is
//! `verify - sha256 - signature` over `verify` (the target: under
//! 10% for 20 KB).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mailauth_core::dkim::{
    Canonicalization, Canonicalizations, DkimConfig, DkimResult, DkimSigner, verify,
};
use mailauth_core::dns::{MemoryResolver, RecordData, Txt, ZoneRecord};
use ring::signature::{self as crypto, KeyPair};

const RSA_KEY: &str = include_str!("../../mailauth-core/tests/data/dkim/rsa2048.pk8.b64");

/// A message of about `size` bytes: the usual header fields, then lines of
/// prose, each with a double space and a trailing space: two runs per line
/// for relaxed canonicalization to rewrite, a hard case for it.
fn message(size: usize) -> Vec<u8> {
    let mut out = b"From: Joe <joe@example.com>\r\n\
To: Suzie <suzie@example.net>\r\n\
Subject: The quarterly report\r\n\
Date: Tue, 1 Dec 2026 08:00:00 +0000\r\n\
Message-ID: <20261201080000.1234@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n"
        .to_vec();
    let line = b"Lorem ipsum dolor sit amet,  consectetur adipiscing elit, sed do eiusmod \r\n";
    while out.len() < size {
        out.extend_from_slice(line);
    }
    out
}

struct Case {
    name: String,
    message: Vec<u8>,
    dns: MemoryResolver,
}

fn signers() -> Vec<(&'static str, DkimSigner)> {
    let rsa = data_encoding::BASE64
        .decode(RSA_KEY.trim().as_bytes())
        .expect("test key");
    let ed = DkimSigner::generate_ed25519().expect("Ed25519 key");
    vec![
        (
            "rsa2048",
            DkimSigner::rsa(&rsa, "example.com", "rsa").expect("RSA signer"),
        ),
        (
            "ed25519",
            DkimSigner::ed25519(&ed, "example.com", "ed").expect("Ed25519 signer"),
        ),
    ]
}

fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    for (canon_name, canon) in [
        ("relaxed", Canonicalization::Relaxed),
        ("simple", Canonicalization::Simple),
    ] {
        for (alg, signer) in signers() {
            let signer = signer.canonicalization(Canonicalizations::new(canon, canon));
            // A 2048-bit key takes two character-strings: the zone-file
            // form splits it.
            let txt = Txt::new([signer.key_record().into_bytes()]);
            let zone =
                ZoneRecord::new(signer.key_record_name(), 300, RecordData::Txt(txt)).to_string();
            for (size_name, size) in [("2k", 2_000), ("20k", 20_000), ("1m", 1_000_000)] {
                let body = message(size);
                let mut signed = signer.sign(&body).expect("sign").into_bytes();
                signed.extend_from_slice(&body);
                cases.push(Case {
                    name: format!("{alg}_{canon_name}_{size_name}"),
                    message: signed,
                    dns: MemoryResolver::from_zone_text(&zone).expect("zone"),
                });
            }
        }
    }
    cases
}

fn dkim(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let config = DkimConfig::default();
    let mut group = c.benchmark_group("dkim_verify");
    for case in corpus() {
        let out = runtime.block_on(verify(&case.dns, &case.message, &config));
        assert_eq!(out.result(), DkimResult::Pass, "{}: {out:?}", case.name);
        group.bench_function(&case.name, |b| {
            b.iter(|| runtime.block_on(verify(&case.dns, black_box(&case.message), &config)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("dkim_parts");
    for (name, size) in [("2k", 2_000), ("20k", 20_000), ("1m", 1_000_000)] {
        let bytes = message(size);
        group.bench_function(format!("sha256_{name}"), |b| {
            b.iter(|| ring::digest::digest(&ring::digest::SHA256, black_box(&bytes)))
        });
    }
    // The signature operation over a header hash input of ~500 bytes.
    let input = vec![b'x'; 500];
    let rsa = crypto::RsaKeyPair::from_pkcs8(
        &data_encoding::BASE64
            .decode(RSA_KEY.trim().as_bytes())
            .expect("test key"),
    )
    .expect("RSA key");
    let mut signature = vec![0; rsa.public().modulus_len()];
    rsa.sign(
        &crypto::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        &input,
        &mut signature,
    )
    .expect("sign");
    let public = crypto::UnparsedPublicKey::new(
        &crypto::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        rsa.public().as_ref().to_vec(),
    );
    group.bench_function("rsa2048_signature", |b| {
        b.iter(|| {
            public
                .verify(black_box(&input), &signature)
                .expect("verifies")
        })
    });
    let ed = crypto::Ed25519KeyPair::from_pkcs8(&DkimSigner::generate_ed25519().expect("key"))
        .expect("Ed25519 key");
    let digest = ring::digest::digest(&ring::digest::SHA256, &input);
    let ed_signature = ed.sign(digest.as_ref());
    let ed_public =
        crypto::UnparsedPublicKey::new(&crypto::ED25519, ed.public_key().as_ref().to_vec());
    group.bench_function("ed25519_signature", |b| {
        b.iter(|| {
            ed_public
                .verify(black_box(digest.as_ref()), ed_signature.as_ref())
                .expect("verifies")
        })
    });
    group.finish();
}

criterion_group!(benches, dkim);
criterion_main!(benches);
