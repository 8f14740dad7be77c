//! The bundled demo zone (`mailauth-doctor/data/demo.zone`) and the sending
//! setups it reproduces, one per case, each under its own names.

use crate::SendingSetup;

/// The demo zone, compiled in so the examples run from anywhere, offline.
pub const ZONE: &str = include_str!("../data/demo.zone");

/// What reports say of the demo zone: its data is made up.
pub const DESCRIPTION: &str = "the bundled demo zone (fictional data, offline)";

/// One sending setup of the demo zone.
#[derive(Clone, Copy, Debug)]
pub struct DemoCase {
    /// The name `mailauth doctor --demo` takes.
    pub name: &'static str,
    /// What the case shows.
    pub title: &'static str,
    /// The sending IP.
    pub ip: &'static str,
    /// The HELO name.
    pub helo: &'static str,
    /// The MAIL FROM address.
    pub mail_from: &'static str,
}

impl DemoCase {
    /// The case as the doctor's input.
    pub fn setup(&self) -> SendingSetup {
        let ip = self
            .ip
            .parse()
            .unwrap_or_else(|_| unreachable!("the demo cases hold valid addresses"));
        SendingSetup::new(ip, self.helo, self.mail_from)
    }
}

/// Every demo case.
pub const CASES: &[DemoCase] = &[
    DemoCase {
        name: "good",
        title: "a correct setup: PTR, HELO, SPF and DMARC p=reject",
        ip: "192.0.2.10",
        helo: "mail.good.example",
        mail_from: "news@good.example",
    },
    DemoCase {
        name: "no-ptr",
        title: "the sending IP has no PTR record",
        ip: "192.0.2.99",
        helo: "mail.noptr.example",
        mail_from: "alerts@noptr.example",
    },
    DemoCase {
        name: "ptr-mismatch",
        title: "the IP's PTR name resolves to another address",
        ip: "192.0.2.98",
        helo: "mail.mismatch.example",
        mail_from: "billing@mismatch.example",
    },
    DemoCase {
        name: "bare-helo",
        title: "HELO is the bare domain; the IP is on ZEN (CSS); DMARC p=none",
        ip: "192.0.2.30",
        helo: "bare.example",
        mail_from: "news@bare.example",
    },
    DemoCase {
        name: "ghost-sender",
        title: "the MAIL FROM domain does not resolve (no MX, no A)",
        ip: "192.0.2.10",
        helo: "mail.good.example",
        mail_from: "news@ghost.example",
    },
    DemoCase {
        name: "pbl-direct",
        title: "sent straight from a home line listed on ZEN's PBL",
        ip: "203.0.113.50",
        helo: "home.relayed.example",
        mail_from: "me@relayed.example",
    },
    DemoCase {
        name: "isp-relay",
        title: "the same mail through the ISP's relay, which SPF includes",
        ip: "198.51.100.25",
        helo: "smtp.isp.example",
        mail_from: "me@relayed.example",
    },
    DemoCase {
        name: "relay-not-in-spf",
        title: "relayed through the ISP, but SPF lists only the domain's own IP",
        ip: "198.51.100.25",
        helo: "smtp.isp.example",
        mail_from: "info@ownip.example",
    },
    DemoCase {
        name: "include-host",
        title: "SPF includes the relay's host name, which has no SPF record",
        ip: "198.51.100.25",
        helo: "smtp.isp.example",
        mail_from: "info@hostinc.example",
    },
];

/// The case called `name`.
pub fn case(name: &str) -> Option<&'static DemoCase> {
    CASES.iter().find(|c| c.name == name)
}
