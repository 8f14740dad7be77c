use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use mailauth_core::dns::{MemoryResolver, RecordType};

use super::*;

fn zone(text: &str) -> MemoryResolver {
    MemoryResolver::from_zone_text(text).expect("zone")
}

#[tokio::test(start_paused = true)]
async fn checks_past_the_deadline_are_left_out_and_said_so() {
    let mut slow = zone("example.com. TXT \"v=spf1 -all\"");
    slow.set_latency(Duration::from_secs(10));
    let config = ScanConfig::default().deadline(Duration::from_secs(1));
    let report = Scanner::new(Arc::new(slow), config)
        .scan_domain("example.com")
        .await;
    assert_eq!(report.defects, [Defect::Deadline]);
    assert!(report.spf.is_none() && report.mx.is_none() && report.bimi.is_none());
    // No selector: nothing to wait for.
    assert_eq!(report.dkim, Some(Vec::new()));
    assert!(
        report.elapsed_ms >= 1000 && report.elapsed_ms < 2000,
        "{}",
        report.elapsed_ms
    );
}

#[tokio::test]
async fn a_deadline_past_the_clock_is_no_deadline() {
    let served = zone("example.com. TXT \"v=spf1 -all\"");
    let config = ScanConfig::default().deadline(Duration::MAX);
    let report = Scanner::new(Arc::new(served), config)
        .scan_domain("example.com")
        .await;
    assert!(report.spf.is_some() && !report.defects.contains(&Defect::Deadline));
}

#[tokio::test(start_paused = true)]
async fn domains_share_one_query_for_a_common_include() {
    let mut text = String::from("_spf.provider.test. TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n");
    for i in 0..500 {
        text.push_str(&format!(
            "d{i}.test. TXT \"v=spf1 include:_spf.provider.test -all\"\n"
        ));
    }
    let mut served = zone(&text);
    served.set_latency(Duration::from_millis(20));
    served.enable_query_log();
    let served = Arc::new(served);
    let scanner = Scanner::new(
        Arc::clone(&served) as Arc<dyn DnsResolver>,
        ScanConfig::default().concurrency(500),
    );
    let reports: Vec<DomainScan> = scanner
        .scan((0..500).map(|i| format!("d{i}.test")))
        .collect()
        .await;
    assert_eq!(reports.len(), 500);
    assert!(
        reports
            .iter()
            .all(|r| r.spf.as_ref().is_some_and(|s| s.dns_terms == 1))
    );
    let include_queries = served
        .query_log()
        .iter()
        .filter(|q| q.name == "_spf.provider.test" && q.record_type == RecordType::Txt)
        .count();
    assert_eq!(include_queries, 1);
    let stats = scanner.cache_stats().expect("cache on by default");
    assert!(stats.coalesced + stats.hits >= 499, "{stats:?}");

    // Without the cache, one query per domain.
    served.reset_counters();
    let uncached = Scanner::new(
        Arc::clone(&served) as Arc<dyn DnsResolver>,
        ScanConfig::default().cache(None),
    );
    let _: Vec<DomainScan> = uncached
        .scan((0..50).map(|i| format!("d{i}.test")))
        .collect()
        .await;
    let include_queries = served
        .query_log()
        .iter()
        .filter(|q| q.name == "_spf.provider.test")
        .count();
    assert_eq!(include_queries, 50);
    assert!(uncached.cache_stats().is_none());
}

#[tokio::test(start_paused = true)]
async fn concurrency_is_bounded() {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("d{i}.test. TXT \"v=spf1 -all\"\n"));
    }
    let mut served = zone(&text);
    served.set_latency(Duration::from_millis(5));
    let served = Arc::new(served);
    let scanner = Scanner::new(
        Arc::clone(&served) as Arc<dyn DnsResolver>,
        ScanConfig::default().concurrency(4).cache(None),
    );
    let n = scanner
        .scan((0..200).map(|i| format!("d{i}.test")))
        .count()
        .await;
    assert_eq!(n, 200);
    // Each domain asks at most 6 questions at once (TXT, the DMARC walk,
    // MX, three records): 4 domains, at most 24 in flight.
    assert!(served.peak_in_flight() <= 24, "{}", served.peak_in_flight());
    assert!(served.peak_in_flight() > 6, "{}", served.peak_in_flight());
}

#[tokio::test]
async fn hostile_mx_sets_are_bounded() {
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!(
            "evil.test. MX {i} h{i}.evil.test.\nh{i}.evil.test. A 192.0.2.{}\n",
            i % 250 + 1
        ));
    }
    for i in 0..300 {
        text.push_str(&format!("h0.evil.test. A 198.51.100.{}\n", i % 250));
    }
    let served = Arc::new(zone(&text));
    let scanner = Scanner::new(
        Arc::clone(&served) as Arc<dyn DnsResolver>,
        ScanConfig::default(),
    );
    let report = scanner.scan_domain("evil.test").await;
    let mx = report.mx.as_ref().expect("mx");
    assert_eq!(mx.hosts.len(), 5);
    assert!(mx.truncated);
    assert_eq!(mx.hosts[0].addresses.len(), 4);
    assert!(mx.hosts[0].unchecked > 250);
    assert!(report.defects.contains(&Defect::MxTruncated));
    assert!(report.queries < 100, "{}", report.queries);
}

#[test]
fn defect_codes_are_unique_and_round_trip() {
    let mut codes: Vec<&str> = Defect::ALL.iter().map(|d| d.as_str()).collect();
    for (defect, code) in Defect::ALL.iter().zip(&codes) {
        assert_eq!(Defect::from_code(code), Some(*defect));
        assert!(!defect.describe().is_empty());
    }
    let sorted = {
        let mut all = Defect::ALL.to_vec();
        all.sort();
        all
    };
    assert_eq!(sorted, Defect::ALL, "ALL is in report order");
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), Defect::ALL.len());
    assert_eq!(Defect::from_code("spf.nothing"), None);
}

#[tokio::test]
async fn reports_serialise_as_json_lines_and_csv_rows() {
    let served = zone(
        "$ORIGIN example.com.\n@ TXT \"v=spf1 ip4:192.0.2.1,\\\"=cmd\\\" -all\"\n_dmarc TXT \"v=DMARC1; p=quarantine\"\n",
    );
    let scanner = Scanner::new(Arc::new(served), ScanConfig::default());
    let report = scanner.scan_domain("example.com").await;
    let row = report.to_csv_row();
    assert_eq!(DomainScan::CSV_HEADER.split(',').count(), 10);
    assert!(row.starts_with("example.com,error,"), "{row}");
    assert!(row.contains("spf.syntax"), "{row}");
    assert!(!row.contains('\n'));
    #[cfg(feature = "serde")]
    {
        let line = report.to_json_line();
        assert!(!line.contains('\n'));
        let back: DomainScan = serde_json::from_str(&line).expect("round trip");
        assert_eq!(back, report);
        let value: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(value["defects"][0], "spf.syntax");
        assert_eq!(value["dmarc"]["policy"], "quarantine");
    }
}
