//! Python bindings for mailauth: the native module `mailauth._mailauth`.
//! The core knows nothing of Python; this crate only adapts its types.

mod args;
mod auth;
mod checks;
mod dkim;
mod dmarc;
mod dnsbl;
mod doctor;
mod error;
mod pickle;
mod records;
mod resolver;
mod scan;
mod spf;
mod stream;
mod tokens;

use pyo3::prelude::*;

/// Runs the `mailauth` command on `args` (without the program name), with
/// the GIL released, and returns its exit code: the console script and
/// `python -m mailauth`.
#[pyfunction]
fn _cli(py: Python<'_>, args: Vec<String>) -> u8 {
    py.detach(|| mailauth_doctor::cli::run(args))
}

/// The native part of the `mailauth` package.
#[pymodule]
mod _mailauth {
    #[pymodule_export]
    use super::_cli;
    #[pymodule_export]
    use crate::auth::{AuthOutput, authenticate_async, authenticate_sync};
    #[pymodule_export]
    use crate::checks::{
        ForwardCheck, HeloCheck, HeloReport, IprevOutput, IprevResult, MailDomainReport,
        PostfixClient, check_helo_async, check_helo_sync, check_mail_domain_async,
        check_mail_domain_sync, iprev_async, iprev_sync,
    };
    #[pymodule_export]
    use crate::dkim::{
        DkimKeyRecord, DkimOutput, DkimSignatureResult, DkimSigner, dkim_verify_async,
        dkim_verify_sync,
    };
    #[pymodule_export]
    use crate::dmarc::{
        DmarcDiagnostic, DmarcDiscovery, DmarcOutput, DmarcRecord, DmarcResult, DmarcValidation,
        IdentifierCheck, ReportDestination, ReportUri, dmarc_discover_async, dmarc_discover_sync,
        dmarc_evaluate_async, dmarc_evaluate_sync, dmarc_report_destinations_async,
        dmarc_report_destinations_sync,
    };
    #[pymodule_export]
    use crate::dnsbl::{
        DnsblBulk, DnsblList, DnsblListResult, DnsblReport, ZoneHealthReport, dnsbl_check_async,
        dnsbl_check_bulk, dnsbl_check_sync, dnsbl_zone_health_async,
    };
    #[pymodule_export]
    use crate::doctor::{
        Bounce, DoctorFinding, DoctorFix, DoctorRecord, DoctorReport, doctor_async,
        doctor_bounce_async, doctor_bounce_sync, doctor_domain_async, doctor_domain_sync,
        doctor_headers_async, doctor_headers_sync, doctor_sync, read_bounce,
    };
    #[pymodule_export]
    use crate::pickle::{_picklable, _restore};
    #[pymodule_export]
    use crate::records::{Answer, MxRecord, Outcome, TxtRecord};
    #[pymodule_export]
    use crate::resolver::Resolver;
    #[pymodule_export]
    use crate::scan::{DomainScan, ScanStream, scan};
    #[pymodule_export]
    use crate::spf::{SpfOutput, SpfRecord, SpfResult, SpfVerdict, SpfVerifier};
    #[pymodule_export]
    use crate::tokens::_tokens;

    use super::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        crate::resolver::init_runtime()?;
        m.add("__version__", mailauth_core::VERSION)
    }
}
