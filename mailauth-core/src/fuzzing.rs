//! Entry points for the fuzz targets in `fuzz/`: each takes the raw fuzz
//! input and asserts the properties that must hold for any input. Not part
//! of the public API.

use crate::dns::Zone;

/// Master-file text: parsing never panics, and a zone that parses prints
/// as text that parses back to the same records.
pub fn zone_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(zone) = Zone::parse(text) {
        let printed = zone.to_string();
        let reparsed = Zone::parse(&printed)
            .unwrap_or_else(|e| panic!("printed zone does not parse: {e}\n{printed}"));
        assert_eq!(zone, reparsed, "round trip changed the zone:\n{printed}");
    }
}
