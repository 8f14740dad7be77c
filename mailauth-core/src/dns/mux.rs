//! The multiplexed UDP transport: many queries in flight on a few
//! long-lived sockets, answers matched by message ID and question.
//!
//! hickory-resolver opens a new UDP socket for every query (a fresh source
//! port, RFC 5452 §9.2); bulk work such as thousands of DNSBL queries then
//! spends most of its time creating, registering and closing sockets. Here
//! a few sockets, each connected to one nameserver, stay open; a task per
//! socket hands each answer to the query with its ID. Queries are encoded
//! here (a fixed header, the question and an EDNS OPT record) and answers
//! matched on their raw question; matching answers are parsed by
//! hickory-proto.
//!
//! A lost datagram is sent again as soon as its answer is overdue by the
//! socket's measured round-trip time ([`Rtt`]), not after a whole timeout,
//! and the answer to any sending of the query is taken.
//!
//! The spoofing defence is a random 16-bit ID per query and the question
//! check, without source-port randomisation per query: the builder allows
//! this transport only towards a resolver on a trusted path (loopback, the
//! local network), which is how DNSBLs are queried anyway, unless the
//! caller says otherwise (see `multiplex_public_servers`).
//!
//! The sockets and their receiving tasks live on a runtime of the
//! transport's own, on one thread ([`Driver`]), started by the first
//! lookup and stopped when the transport is dropped: a socket belongs to
//! the runtime that made it, and the caller's runtime may end (a
//! `block_on` per call, a test's runtime) while the resolver lives on.
//! Lookups wait on the sockets from whatever runtime they run on.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::select_all;

use hickory_resolver::proto::op::{Header, Message, ResponseCode};
use hickory_resolver::proto::rr::{Record, RecordType};
use hickory_resolver::proto::serialize::binary::{BinDecodable, BinDecoder};
use tokio::net::UdpSocket;
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit, oneshot};
use tokio::task::AbortHandle;

use crate::dns::wire::{OPT, skip_records};
use crate::dns::{LookupError, ServerFailure};

/// The EDNS payload size advertised (RFC 6891 §6.2.5; the DNS Flag Day 2020
/// value): answers larger than this come back truncated and go to TCP.
const EDNS_PAYLOAD: u16 = 1232;

/// The largest datagram read.
const RECEIVE_BUFFER: usize = 4096;

/// The most queries waiting on one socket; further queries wait for a
/// slot. Without a cap, 2,000 queries in flight on 4 sockets overflowed the
/// socket buffers on loopback and the retries of the lost datagrams cut
/// throughput by four; 256 kept it (`dnsbl-throughput`, 100 and 400
/// targets x 5 lists at a time), 64 halved it. Measured when a lost
/// datagram was sent again only after the whole timeout; a sending now
/// holds a slot until its lookup ends, so resends count too.
const MAX_WAITING_PER_SOCKET: usize = 256;

/// The earliest a query is sent again, however short the round-trip time:
/// unbound's lower bound for its RTT-based timeouts (`RTT_MIN_TIMEOUT`).
const MIN_RETRANSMIT: Duration = Duration::from_millis(50);

/// The retransmission time before any answer was measured: unbound's
/// assumed round-trip time of a server it knows nothing of
/// (`UNKNOWN_SERVER_NICENESS`, 376 ms). The first queries of a bulk check
/// go out together before any answer; with the whole timeout here, one
/// lost among them held its check for that timeout (5 s runs in the
/// benchmark).
const FIRST_RETRANSMIT: Duration = Duration::from_millis(376);

/// The most sendings within one attempt: the first, then again after one
/// retransmission time, two, four (RFC 6298 §5.5 backoff), so that a burst
/// of losses (a server's full socket buffer, a stalled machine) is outlived
/// while the attempt lasts. A single early resend was lost in the same
/// burst as the first (55 of 50,000 queries failed in one benchmark run).
const SENDS_PER_ATTEMPT: usize = 4;

/// The smoothed round-trip time of one socket's answers and its variation,
/// by the estimator of RFC 6298 §2 (gains 1/8 and 1/4).
#[derive(Debug, Default)]
struct Rtt {
    /// SRTT and RTTVAR, once an answer was measured.
    smoothed: Option<(Duration, Duration)>,
}

impl Rtt {
    /// Takes one measurement (RFC 6298 §2.2 and §2.3). Every sending has
    /// its own message ID, so each answer belongs to exactly one sending
    /// (Karn's rule, §3, holds by construction).
    fn sample(&mut self, rtt: Duration) {
        self.smoothed = Some(match self.smoothed {
            None => (rtt, rtt / 2),
            Some((srtt, rttvar)) => (
                srtt * 7 / 8 + rtt / 8,
                rttvar * 3 / 4 + srtt.abs_diff(rtt) / 4,
            ),
        });
    }

    /// How long after the first sending of an attempt the query is sent
    /// again: SRTT + 4 RTTVAR (RFC 6298 §2.3), at least [`MIN_RETRANSMIT`],
    /// at most `timeout`. Before any measurement: [`FIRST_RETRANSMIT`].
    fn retransmit_after(&self, timeout: Duration) -> Duration {
        let Some((srtt, rttvar)) = self.smoothed else {
            return FIRST_RETRANSMIT.min(timeout);
        };
        (srtt + rttvar * 4).max(MIN_RETRANSMIT).min(timeout)
    }
}

/// Queries waiting for their answers, by message ID, each with the serial
/// number of its registration.
type Pending = Mutex<foldhash::HashMap<u16, (u64, oneshot::Sender<Vec<u8>>)>>;

/// One connected socket and its waiting queries.
struct Channel {
    socket: Arc<UdpSocket>,
    pending: Arc<Pending>,
    serial: AtomicU64,
    slots: Semaphore,
    rtt: Mutex<Rtt>,
    receiver: AbortHandle,
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.receiver.abort();
    }
}

impl Channel {
    async fn open(server: SocketAddr) -> std::io::Result<Self> {
        let local: SocketAddr = if server.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            ([0u16; 8], 0).into()
        };
        let socket = Arc::new(UdpSocket::bind(local).await?);
        socket.connect(server).await?;
        let pending: Arc<Pending> = Arc::default();
        let receiver = tokio::spawn(receive(Arc::clone(&socket), Arc::clone(&pending)));
        Ok(Self {
            socket,
            pending,
            serial: AtomicU64::new(0),
            slots: Semaphore::new(MAX_WAITING_PER_SOCKET),
            rtt: Mutex::default(),
            receiver: receiver.abort_handle(),
        })
    }

    /// A free slot for one more waiting query, or `None` at `give_up`.
    /// Taken without a waiter when one is free (most of the time).
    async fn slot(&self, give_up: Instant) -> Option<SemaphorePermit<'_>> {
        if let Ok(slot) = self.slots.try_acquire() {
            return Some(slot);
        }
        // The semaphore is never closed.
        tokio::time::timeout_at(give_up.into(), self.slots.acquire())
            .await
            .ok()?
            .ok()
    }

    fn rtt(&self) -> std::sync::MutexGuard<'_, Rtt> {
        self.rtt.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a fresh random ID; the guard forgets it when dropped.
    fn register(&self) -> (Registration<'_>, oneshot::Receiver<Vec<u8>>) {
        let (sender, receiver) = oneshot::channel();
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let id = loop {
            // hickory's message constructor draws the ID from its RNG.
            let id = Message::query().metadata.id;
            if !pending.contains_key(&id) {
                break id;
            }
        };
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        pending.insert(id, (serial, sender));
        (
            Registration {
                pending: &self.pending,
                id,
                serial,
            },
            receiver,
        )
    }
}

/// Removes a query's ID from the waiting set when the query ends, however
/// it ends (answer, timeout, or the caller dropping the future). The
/// serial number keeps it from removing a later query that reuses the ID
/// once the answer has freed it.
struct Registration<'a> {
    pending: &'a Pending,
    id: u16,
    serial: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending
            .get(&self.id)
            .is_some_and(|(serial, _)| *serial == self.serial)
        {
            pending.remove(&self.id);
        }
    }
}

/// Reads answers and hands each to the query waiting for its ID. An ICMP
/// "port unreachable" (a refused connected socket) ends every waiting query
/// at once: nobody is listening.
async fn receive(socket: Arc<UdpSocket>, pending: Arc<Pending>) {
    let mut buffer = vec![0u8; RECEIVE_BUFFER];
    loop {
        match socket.recv(&mut buffer).await {
            Ok(len) if len >= 12 => {
                let id = u16::from_be_bytes([buffer[0], buffer[1]]);
                let waiting = pending
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id);
                if let Some((_, sender)) = waiting {
                    let _ = sender.send(buffer[..len].to_vec());
                }
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                pending
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clear();
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

/// The runtime that runs the sockets' receiving tasks and drives their
/// I/O: the transport's own, on a thread of its own, which it stops when
/// dropped; or one the caller gave
/// ([`HickoryResolverBuilder::multiplex_on`](super::HickoryResolverBuilder::multiplex_on)).
enum Driver {
    Own {
        handle: tokio::runtime::Handle,
        _stop: oneshot::Sender<()>,
    },
    Given(tokio::runtime::Handle),
}

impl Driver {
    fn start(given: Option<&tokio::runtime::Handle>) -> std::io::Result<Self> {
        if let Some(handle) = given {
            return Ok(Self::Given(handle.clone()));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("mailauth-udp-mux".into())
            .spawn(move || {
                // Runs until the sender is dropped with the transport.
                runtime.block_on(async {
                    let _ = stopped.await;
                });
            })?;
        Ok(Self::Own {
            handle,
            _stop: stop,
        })
    }

    fn handle(&self) -> &tokio::runtime::Handle {
        match self {
            Self::Own { handle, .. } | Self::Given(handle) => handle,
        }
    }
}

/// The open sockets and the runtime they belong to. The channels are
/// dropped first (their receiving tasks aborted), then the runtime.
struct Open {
    channels: Vec<Channel>,
    _driver: Driver,
}

/// The transport: channels opened on first use, queries spread over them.
pub(super) struct UdpMux {
    servers: Vec<SocketAddr>,
    sockets_per_server: usize,
    timeout: Duration,
    attempts: usize,
    /// `timeout` times `attempts`: a lookup's whole time.
    deadline: Duration,
    open: OnceCell<Open>,
    next: AtomicUsize,
    runtime: Option<tokio::runtime::Handle>,
}

impl UdpMux {
    pub(super) fn new(
        servers: Vec<SocketAddr>,
        sockets_per_server: usize,
        timeout: Duration,
        attempts: usize,
        deadline: Duration,
        runtime: Option<tokio::runtime::Handle>,
    ) -> Self {
        Self {
            servers,
            sockets_per_server,
            timeout,
            attempts,
            deadline,
            open: OnceCell::new(),
            next: AtomicUsize::new(0),
            runtime,
        }
    }

    /// The channels, opened on the transport's own runtime the first time.
    async fn channels(&self) -> Result<&[Channel], LookupError> {
        let open = self
            .open
            .get_or_try_init(|| async {
                let driver = Driver::start(self.runtime.as_ref())?;
                let mut channels = Vec::new();
                for _ in 0..self.sockets_per_server {
                    for server in &self.servers {
                        let opened = driver.handle().spawn(Channel::open(*server));
                        channels.push(opened.await.map_err(std::io::Error::other)??);
                    }
                }
                Ok::<_, std::io::Error>(Open {
                    channels,
                    _driver: driver,
                })
            })
            .await
            // No socket could be opened: nothing can be reached.
            .map_err(|_| LookupError::Timeout)?;
        Ok(&open.channels)
    }

    /// Sends the query in up to `attempts` attempts of `timeout` each (each
    /// on the next channel, so on the next server when there are several).
    /// Within an attempt the query is sent again whenever its answer is
    /// overdue by the channel's retransmission time, doubled each time, at
    /// most [`SENDS_PER_ATTEMPT`] times. The first answer to any sending
    /// that matches the question is returned. Bounded by `timeout` times
    /// `attempts` in all, waiting for a free slot included. `name` is validated
    /// ([`validate_name`](crate::dns::validate_name)), without the trailing
    /// dot.
    pub(super) async fn lookup(
        &self,
        name: &str,
        record_type: RecordType,
    ) -> Result<Response, LookupError> {
        let mut query = Query::new(name, record_type);
        let channels = self.channels().await?;
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        // The builder checked that the deadline fits the clock.
        let give_up = Instant::now()
            .checked_add(self.deadline)
            .unwrap_or_else(|| far_future(self.deadline));
        let mut sent: Vec<Sent<'_>> = Vec::new();
        for attempt in 0..self.attempts {
            let channel = &channels[(first + attempt) % channels.len()];
            let attempt_end = Instant::now()
                .checked_add(self.timeout)
                .unwrap_or_else(|| far_future(self.timeout));
            let mut gap = channel.rtt().retransmit_after(self.timeout);
            for sending in 0..SENDS_PER_ATTEMPT {
                if Instant::now() >= attempt_end {
                    break;
                }
                let Some(slot) = channel.slot(give_up).await else {
                    return Err(LookupError::Timeout);
                };
                let (registration, answer) = channel.register();
                query.set_id(registration.id);
                let at = Instant::now();
                if channel.socket.send(query.bytes()).await.is_ok() {
                    sent.push(Sent {
                        channel,
                        _slot: slot,
                        _registration: registration,
                        answer,
                        at,
                    });
                }
                let until = if sending + 1 == SENDS_PER_ATTEMPT {
                    attempt_end
                } else {
                    at.checked_add(gap)
                        .map_or(attempt_end, |t| attempt_end.min(t))
                };
                gap = gap.saturating_mul(2);
                while !sent.is_empty() {
                    let answers = select_all(sent.iter_mut().map(|s| &mut s.answer));
                    match tokio::time::timeout_at(until.into(), answers).await {
                        // Overdue: send again, or end the attempt.
                        Err(_) => break,
                        Ok((Ok(bytes), index, _)) => {
                            let answered = sent.swap_remove(index);
                            if query.is_answered_by(&bytes) {
                                answered.channel.rtt().sample(answered.at.elapsed());
                                return query.read_response(&bytes).map_err(|e| {
                                    LookupError::ServerFailure(ServerFailure::Protocol(e))
                                });
                            }
                        }
                        // Refused: nobody listens there.
                        Ok((Err(_), ..)) => return Err(LookupError::Timeout),
                    }
                }
            }
        }
        Err(LookupError::Timeout)
    }
}

/// What a lookup reads of a response.
#[derive(Debug)]
pub(super) struct Response {
    /// TC: the answer did not fit (RFC 1035 §4.1.1).
    pub(super) truncated: bool,
    /// RCODE with the OPT record's extended bits (RFC 6891 §6.1.3).
    pub(super) code: ResponseCode,
    /// The answer section, decoded by hickory-proto.
    pub(super) answers: Vec<Record>,
}

/// One sending of a query, waiting for its answer: its slot and ID are
/// held until the lookup ends.
struct Sent<'a> {
    channel: &'a Channel,
    _slot: SemaphorePermit<'a>,
    _registration: Registration<'a>,
    answer: oneshot::Receiver<Vec<u8>>,
    at: Instant,
}

/// The header flags of a query: QR = 0, OPCODE = QUERY, RD = 1 (RFC 1035
/// §4.1.1).
const QUERY_FLAGS: [u8; 2] = [0x01, 0x00];

/// The EDNS OPT pseudo-record (RFC 6891 §6.1.2): root owner, TYPE 41, the
/// payload size as CLASS, extended RCODE, version and flags 0, no options.
const OPT_RECORD: [u8; 11] = {
    let [type_hi, type_lo] = OPT.to_be_bytes();
    let [hi, lo] = EDNS_PAYLOAD.to_be_bytes();
    [0, type_hi, type_lo, hi, lo, 0, 0, 0, 0, 0, 0]
};

/// The QCLASS of every query: IN.
const CLASS_IN: [u8; 2] = [0, 1];

/// A recursive query with EDNS in wire form (RFC 1035 §4.1): the header
/// with one question and one additional record, the question, the OPT
/// record. At most 12 + 255 + 4 + 11 octets.
struct Query {
    wire: Vec<u8>,
    /// The end of the question section.
    question_end: usize,
}

/// Where the question starts: right after the 12-octet header.
const HEADER_LEN: usize = 12;

impl Query {
    /// The query for `name` (validated: labels of 1 to 63 octets, at most
    /// 253 octets, no trailing dot) and `record_type`, with ID 0. Labels
    /// are sent as their raw octets.
    fn new(name: &str, record_type: RecordType) -> Self {
        let mut wire = Vec::with_capacity(HEADER_LEN + name.len() + 2 + 4 + OPT_RECORD.len());
        wire.extend_from_slice(&[0, 0]);
        wire.extend_from_slice(&QUERY_FLAGS);
        // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 1.
        wire.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 1]);
        for label in name.split('.') {
            // validate_name keeps every label within 63 octets.
            wire.push(u8::try_from(label.len()).unwrap_or(u8::MAX));
            wire.extend_from_slice(label.as_bytes());
        }
        wire.push(0);
        wire.extend_from_slice(&u16::from(record_type).to_be_bytes());
        wire.extend_from_slice(&CLASS_IN);
        let question_end = wire.len();
        wire.extend_from_slice(&OPT_RECORD);
        Self { wire, question_end }
    }

    fn set_id(&mut self, id: u16) {
        self.wire[..2].copy_from_slice(&id.to_be_bytes());
    }

    fn bytes(&self) -> &[u8] {
        &self.wire
    }

    /// Reads a response that [answers](Self::is_answered_by) this query:
    /// the header and the answer section with hickory-proto, the question
    /// (already compared) skipped, the authority section stepped over
    /// undecoded, the additional section only for OPT's extended RCODE.
    /// hickory would decode every section, the SOA of each negative answer
    /// included.
    fn read_response(&self, answer: &[u8]) -> Result<Response, String> {
        let mut decoder = BinDecoder::new(answer);
        let Header {
            mut metadata,
            counts,
        } = Header::read(&mut decoder).map_err(|e| e.to_string())?;
        decoder
            .read_slice(self.question_end - HEADER_LEN)
            .map_err(|e| e.to_string())?;
        let (answers, _, _) = Message::read_records(
            &mut decoder,
            usize::from(counts.answers),
            false,
            metadata.op_code,
        )
        .map_err(|e| e.to_string())?;
        let (authority_end, _) = skip_records(answer, decoder.index(), counts.authorities)
            .map_err(|e| format!("authority section: {e}"))?;
        let (_, rcode_high) = skip_records(answer, authority_end, counts.additionals)
            .map_err(|e| format!("additional section: {e}"))?;
        metadata.merge_response_code(rcode_high);
        Ok(Response {
            truncated: metadata.truncation,
            code: metadata.response_code,
            answers,
        })
    }

    /// Whether `answer` is a response with exactly this query's question
    /// (RFC 5452 §9.1; its ID chose the query it was handed to). The name
    /// is compared without regard to ASCII case (RFC 4343; a server may
    /// echo it in another case), QTYPE and QCLASS exactly. A question is
    /// never compressed: it is the message's first name.
    fn is_answered_by(&self, answer: &[u8]) -> bool {
        let question = &self.wire[HEADER_LEN..self.question_end];
        let name_len = question.len() - 4;
        answer.len() >= self.question_end
            && answer[2] & 0x80 != 0
            && answer[4..6] == [0, 1]
            && answer[HEADER_LEN..HEADER_LEN + name_len].eq_ignore_ascii_case(&question[..name_len])
            && answer[HEADER_LEN + name_len..self.question_end] == question[name_len..]
    }
}

/// Fuzzing: the responses a lookup would read from `data`, as the code and
/// answer section of each. The first byte picks the query type; the
/// response is `data`'s header with this query's question spliced in (so
/// that the fuzzer reaches the decoder), and `data` as it came.
pub(crate) fn fuzz_responses(data: &[u8]) -> Vec<(ResponseCode, Vec<Record>)> {
    let [kind, header @ ..] = data else {
        return Vec::new();
    };
    let types = [
        RecordType::A,
        RecordType::AAAA,
        RecordType::MX,
        RecordType::TXT,
        RecordType::PTR,
    ];
    let mut query = Query::new("fuzz.example", types[usize::from(*kind) % types.len()]);
    let id = u16::from_be_bytes([
        header.first().copied().unwrap_or(0),
        header.get(1).copied().unwrap_or(0),
    ]);
    query.set_id(id);
    let mut spliced = header.get(..HEADER_LEN).unwrap_or(header).to_vec();
    spliced.resize(HEADER_LEN, 0);
    spliced[2] |= 0x80;
    spliced[4..6].copy_from_slice(&[0, 1]);
    spliced.extend_from_slice(&query.wire[HEADER_LEN..query.question_end]);
    spliced.extend_from_slice(header.get(HEADER_LEN..).unwrap_or_default());
    [spliced.as_slice(), header]
        .into_iter()
        .filter(|answer| query.is_answered_by(answer))
        .filter_map(|answer| query.read_response(answer).ok())
        .map(|response| (response.code, response.answers))
        .collect()
}

/// An instant `wait` from now, or as far as the clock goes (the builder
/// refuses timeouts past it, so this is a fallback, never a panic).
fn far_future(wait: Duration) -> Instant {
    let mut wait = wait;
    loop {
        if let Some(at) = Instant::now().checked_add(wait) {
            return at;
        }
        wait /= 2;
    }
}

#[cfg(test)]
mod tests {
    use hickory_resolver::proto::op::{Message, MessageType, OpCode, ResponseCode};
    use hickory_resolver::proto::rr::{Name, RecordType};

    use std::time::Duration;

    use super::{EDNS_PAYLOAD, FIRST_RETRANSMIT, MIN_RETRANSMIT, Query, Rtt};

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn retransmission_follows_the_measured_round_trip() {
        let timeout = Duration::from_secs(5);
        let mut rtt = Rtt::default();
        // Nothing measured yet: unbound's first guess, within the timeout.
        assert_eq!(rtt.retransmit_after(timeout), FIRST_RETRANSMIT);
        assert_eq!(rtt.retransmit_after(MS * 100), MS * 100);
        // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, so RTO = 3R.
        rtt.sample(MS * 40);
        assert_eq!(rtt.retransmit_after(timeout), MS * 120);
        // §2.3: RTTVAR = 3/4 20 + 1/4 |40 - 80| = 25; SRTT = 7/8 40 + 1/8 80 = 45.
        rtt.sample(MS * 80);
        assert_eq!(rtt.retransmit_after(timeout), MS * 145);
        // At most the timeout.
        assert_eq!(rtt.retransmit_after(MS * 100), MS * 100);
    }

    #[test]
    fn a_fast_server_still_gets_the_minimum() {
        let mut rtt = Rtt::default();
        for _ in 0..20 {
            rtt.sample(Duration::from_micros(80));
        }
        let timeout = Duration::from_secs(2);
        assert_eq!(rtt.retransmit_after(timeout), MIN_RETRANSMIT);
    }

    fn query(name: &str, record_type: RecordType, id: u16) -> Query {
        let mut query = Query::new(name, record_type);
        query.set_id(id);
        query
    }

    #[test]
    fn hickory_reads_the_query_as_sent() {
        let name = "2.0.0.127.zen.Spamhaus.ORG";
        let message = Message::from_vec(query(name, RecordType::A, 0xbeef).bytes()).unwrap();
        assert_eq!(message.metadata.id, 0xbeef);
        assert_eq!(message.metadata.message_type, MessageType::Query);
        assert_eq!(message.metadata.op_code, OpCode::Query);
        assert!(message.metadata.recursion_desired);
        let [question] = message.queries.as_slice() else {
            panic!("{:?}", message.queries)
        };
        assert_eq!(question.query_type(), RecordType::A);
        assert_eq!(
            question.name(),
            &Name::from_ascii(format!("{name}.")).unwrap()
        );
        assert_eq!(
            message.edns.as_ref().map(|e| e.max_payload()),
            Some(EDNS_PAYLOAD)
        );
        assert!(message.answers.is_empty() && message.authorities.is_empty());
    }

    #[test]
    fn labels_are_raw_octets() {
        // Underscores and a 63-octet label, as SPF macros can produce.
        let long = "x".repeat(63);
        let name = format!("_dmarc.{long}.example");
        let wire = Query::new(&name, RecordType::TXT).wire;
        let mut expected = vec![6];
        expected.extend_from_slice(b"_dmarc");
        expected.push(63);
        expected.extend_from_slice(long.as_bytes());
        expected.push(7);
        expected.extend_from_slice(b"example");
        expected.extend_from_slice(&[0, 0, 16, 0, 1]);
        assert_eq!(&wire[12..12 + expected.len()], expected.as_slice());
    }

    /// The query turned into a response, as a server would return it.
    fn response_to(query: &Query) -> Vec<u8> {
        let mut answer = query.bytes().to_vec();
        answer[2] |= 0x80;
        answer
    }

    /// A response to `query`: RCODE `rcode`, the `answers` records (each
    /// with the question's name as a pointer), an SOA in the authority
    /// section and an OPT record with `rcode_high` in the additional one.
    fn response(query: &Query, rcode: u8, answers: &[[u8; 4]], rcode_high: u8) -> Vec<u8> {
        let mut message = query.bytes()[..query.question_end].to_vec();
        message[2] |= 0x80;
        message[3] = rcode;
        message[7] = u8::try_from(answers.len()).unwrap();
        message[9] = 1;
        for address in answers {
            message.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            message.extend_from_slice(address);
        }
        // zone. SOA with made-up RDATA, owner written out.
        message.extend_from_slice(b"\x04zone\x00\x00\x06\x00\x01\x00\x00\x01\x2c\x00\x03abc");
        message.extend_from_slice(&[0, 0, 41, 4, 208, rcode_high, 0, 0, 0, 0, 0]);
        message
    }

    #[test]
    fn responses_are_read_to_their_answers_and_rcode() {
        let sent = query("2.0.0.127.zen.example", RecordType::A, 7);
        let listed = response(&sent, 0, &[[127, 0, 0, 2], [127, 0, 0, 10]], 0);
        let read = sent.read_response(&listed).unwrap();
        assert_eq!((read.code, read.truncated), (ResponseCode::NoError, false));
        let addresses: Vec<_> = read.answers.iter().map(|r| r.data.to_string()).collect();
        assert_eq!(addresses, ["127.0.0.2", "127.0.0.10"]);

        let negative = sent.read_response(&response(&sent, 3, &[], 0)).unwrap();
        assert_eq!(negative.code, ResponseCode::NXDomain);
        assert!(negative.answers.is_empty());

        // RFC 6891 §6.1.3: the OPT record's bits above the header's 4.
        let badvers = sent.read_response(&response(&sent, 0, &[], 1)).unwrap();
        // 16: BADVERS (RFC 6891), which shares its number with BADSIG.
        assert_eq!(u16::from(badvers.code), 16);

        let mut truncated = response(&sent, 0, &[], 0);
        truncated[2] |= 0x02;
        assert!(sent.read_response(&truncated).unwrap().truncated);
    }

    #[test]
    fn damaged_responses_are_errors() {
        let sent = query("2.0.0.127.zen.example", RecordType::A, 7);
        let whole = response(&sent, 0, &[[127, 0, 0, 2]], 0);
        for len in sent.question_end..whole.len() {
            assert!(sent.read_response(&whole[..len]).is_err(), "cut at {len}");
        }
        let mut bad_label = whole.clone();
        // The SOA's owner: before its 19 octets and OPT's 11.
        let soa = whole.len() - 11 - 19;
        bad_label[soa] = 0x80;
        let error = sent.read_response(&bad_label).unwrap_err();
        assert!(error.starts_with("authority section"), "{error}");
    }

    #[test]
    fn answers_match_on_id_and_question() {
        let sent = query("2.0.0.127.zen.example", RecordType::A, 7);
        assert!(sent.is_answered_by(&response_to(&sent)));
        // The name in another case still matches (RFC 4343).
        let upper = query("2.0.0.127.ZEN.EXAMPLE", RecordType::A, 7);
        assert!(sent.is_answered_by(&response_to(&upper)));

        // The ID chose the query; each sending of it has its own.
        let other_id = response_to(&query("2.0.0.127.zen.example", RecordType::A, 8));
        assert!(sent.is_answered_by(&other_id));

        let not_a_response = sent.bytes().to_vec();
        let other_name = response_to(&query("3.0.0.127.zen.example", RecordType::A, 7));
        let other_type = response_to(&query("2.0.0.127.zen.example", RecordType::TXT, 7));
        // Type 65 and type 97 differ only in the bit of ASCII case.
        let type_65 = query("x.example", RecordType::HTTPS, 7);
        let type_97 = response_to(&query("x.example", RecordType::Unknown(97), 7));
        let mut no_question = response_to(&sent);
        no_question[5] = 0;
        let short = response_to(&sent)[..20].to_vec();
        for (what, answer) in [
            ("a query", &not_a_response),
            ("another name", &other_name),
            ("another type", &other_type),
            ("QDCOUNT 0", &no_question),
            ("cut short", &short),
        ] {
            assert!(!sent.is_answered_by(answer), "{what}");
        }
        assert!(!type_65.is_answered_by(&type_97));
        assert!(!sent.is_answered_by(&[]));
    }
}
