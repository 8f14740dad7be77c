//! Every query of the shared SPF benchmark corpus returns its `expect`
//! value, so the benchmarks measure correct work.

use mailauth_benches::SpfCorpus;
use mailauth_core::spf::{SpfConfig, SpfResult, SpfVerifier};

#[tokio::test]
async fn all_44_queries_return_their_expected_result() {
    let corpus = SpfCorpus::load_shared().expect("load the corpus");
    let SpfCorpus {
        resolver,
        scenarios,
        ..
    } = corpus;
    let speculative = SpfVerifier::default();
    let sequential = SpfVerifier::new(SpfConfig::default().speculate(false));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for scenario in &scenarios {
        for query in &scenario.queries {
            let out = speculative
                .check_mail_from(&resolver, query.ip, &query.sender, &query.helo)
                .await;
            let without = sequential
                .check_mail_from(&resolver, query.ip, &query.sender, &query.helo)
                .await;
            // The same output, lookup counters and explanation included.
            assert_eq!(out, without, "{} {}", scenario.id, query.sender);
            let expected: SpfResult = query.expect.parse().expect("result token");
            if out.result != expected {
                wrong.push(format!(
                    "{} {} {}: {} (expected {expected}; {})",
                    scenario.id,
                    query.ip,
                    query.sender,
                    out.result,
                    out.summary()
                ));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 44);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
