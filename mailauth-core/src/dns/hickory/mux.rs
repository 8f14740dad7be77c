//! The multiplexed UDP transport: many queries in flight on a few
//! long-lived sockets, answers matched by message ID and question.
//!
//! hickory-resolver opens a new UDP socket for every query (a fresh source
//! port, RFC 5452 §9.2); bulk work such as thousands of DNSBL queries then
//! spends most of its time creating, registering and closing sockets. Here
//! a few sockets, each connected to one nameserver, stay open; a task per
//! socket hands each answer to the query with its ID. Messages are built
//! and parsed by hickory-proto.
//!
//! The spoofing defence is a random 16-bit ID per query and the question
//! check, without source-port randomisation per query: use this transport
//! towards a resolver on a trusted path (loopback, the local network),
//! which is how DNSBLs are queried anyway.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hickory_resolver::proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_resolver::proto::rr::{Name, RecordType};
use tokio::net::UdpSocket;
use tokio::sync::{OnceCell, Semaphore, oneshot};
use tokio::task::AbortHandle;

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
/// targets x 5 lists at a time), 64 halved it.
const MAX_WAITING_PER_SOCKET: usize = 256;

/// Queries waiting for their answers, by message ID, each with the serial
/// number of its registration.
type Pending = Mutex<foldhash::HashMap<u16, (u64, oneshot::Sender<Vec<u8>>)>>;

/// One connected socket and its waiting queries.
struct Channel {
    socket: Arc<UdpSocket>,
    pending: Arc<Pending>,
    serial: AtomicU64,
    slots: Semaphore,
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
            receiver: receiver.abort_handle(),
        })
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

/// The transport: channels opened on first use, queries spread over them.
pub(super) struct UdpMux {
    servers: Vec<SocketAddr>,
    sockets_per_server: usize,
    timeout: Duration,
    attempts: usize,
    channels: OnceCell<Vec<Channel>>,
    next: AtomicUsize,
}

impl UdpMux {
    pub(super) fn new(
        servers: Vec<SocketAddr>,
        sockets_per_server: usize,
        timeout: Duration,
        attempts: usize,
    ) -> Self {
        Self {
            servers,
            sockets_per_server,
            timeout,
            attempts,
            channels: OnceCell::new(),
            next: AtomicUsize::new(0),
        }
    }

    async fn channels(&self) -> Result<&[Channel], LookupError> {
        let channels = self
            .channels
            .get_or_try_init(|| async {
                let mut channels = Vec::new();
                for _ in 0..self.sockets_per_server {
                    for server in &self.servers {
                        channels.push(Channel::open(*server).await?);
                    }
                }
                Ok::<_, std::io::Error>(channels)
            })
            .await
            // No socket could be opened: nothing can be reached.
            .map_err(|_| LookupError::Timeout)?;
        Ok(channels)
    }

    /// Sends the query, up to `attempts` times (each on the next channel,
    /// so on the next server when there are several), and returns the
    /// first answer that matches it.
    pub(super) async fn lookup(
        &self,
        name: &Name,
        record_type: RecordType,
    ) -> Result<Message, LookupError> {
        let channels = self.channels().await?;
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        for attempt in 0..self.attempts {
            let channel = &channels[(first + attempt) % channels.len()];
            // The semaphore is never closed.
            let Ok(_slot) = channel.slots.acquire().await else {
                return Err(LookupError::Timeout);
            };
            let (registration, answer) = channel.register();
            let query = query_message(registration.id, name, record_type)?;
            if channel.socket.send(&query).await.is_err() {
                continue;
            }
            match tokio::time::timeout(self.timeout, answer).await {
                Ok(Ok(bytes)) => {
                    let message = Message::from_vec(&bytes).map_err(|e| {
                        LookupError::ServerFailure(ServerFailure::Protocol(e.to_string()))
                    })?;
                    if answers(&message, name, record_type) {
                        return Ok(message);
                    }
                }
                // Refused: nobody listens there.
                Ok(Err(_)) => return Err(LookupError::Timeout),
                Err(_) => {}
            }
        }
        Err(LookupError::Timeout)
    }
}

/// A recursive query with EDNS, encoded.
fn query_message(id: u16, name: &Name, record_type: RecordType) -> Result<Vec<u8>, LookupError> {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(name.clone(), record_type));
    let mut edns = Edns::new();
    edns.set_max_payload(EDNS_PAYLOAD);
    message.set_edns(edns);
    message
        .to_vec()
        .map_err(|e| LookupError::ServerFailure(ServerFailure::Protocol(e.to_string())))
}

/// A response to exactly this question (RFC 5452 §9.1: ID and question;
/// hickory compares names case-insensitively).
fn answers(message: &Message, name: &Name, record_type: RecordType) -> bool {
    message.metadata.message_type == MessageType::Response
        && matches!(message.queries.as_slice(),
            [query] if query.query_type() == record_type && query.name() == name)
}
