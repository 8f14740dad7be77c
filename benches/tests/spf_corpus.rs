//! Every query of the shared SPF benchmark corpus returns its `expect`
//! value, so the benchmarks measure correct work.

use mailauth_benches::SpfCorpus;
use mailauth_core::spf::{SpfResult, SpfVerifier};

#[tokio::test]
async fn all_44_queries_return_their_expected_result() {
    let corpus = SpfCorpus::load_shared().expect("load the corpus");
    let SpfCorpus {
        resolver,
        scenarios,
        ..
    } = corpus;
    let verifier = SpfVerifier::default();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for scenario in &scenarios {
        for query in &scenario.queries {
            let out = verifier
                .check_mail_from(&resolver, query.ip, &query.sender, &query.helo)
                .await;
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
