//! Speculative lookups: when a record is parsed, the queries its terms will
//! need are sent together, while the terms are still evaluated one by one
//! in the order of RFC 7208 §4.6.2. An evaluation with speculation asks the
//! same questions in the same order and decides on the same answers as one
//! without; the answers only arrive sooner, so a record with six includes
//! costs about two round trips instead of seven: wall-clock time
//! approaches the longest chain of dependent lookups (include depth) times
//! the round trip.
//!
//! Nothing is sent ahead while every answer is at hand (an in-memory zone,
//! a cache that answers without waiting): there it could only cost. The
//! first question whose answer has to be waited for starts it, for the
//! terms not yet evaluated; from then on each record is sent ahead as it
//! is parsed.
//!
//! What is sent ahead: the TXT of `include` and `redirect` targets (and,
//! when that arrives, the lookups of the record it holds), the address of
//! `a` and `exists`, the MX of `mx` and, when that arrives, its exchanges'
//! addresses; for `ptr` and `%{p}`, the client's PTR and, when that
//! arrives, its names' addresses. A target whose expansion needs `%{p}`
//! is sent ahead once the evaluation knows it, one that needs `%{t}` (the
//! clock) never.
//!
//! # The bound (RFC 7208 §4.6.4)
//!
//! §4.6.4 bounds what one evaluation may send: the record's TXT, at most
//! `max_lookups` DNS-querying terms of at most `1 + max(max_mx_names,
//! max_ptr_names)` queries each (an `mx` and its exchanges' addresses, a
//! `ptr` and its names' addresses), the `%{p}` lookups once, and the
//! `exp=` TXT: 123 queries with the RFC's limits ([`query_limit`]). A
//! speculative query is sent only when the queries sent so far, plus it,
//! plus the most the evaluation can still ask for on demand, stay within
//! that limit. "The most it can still ask for" is computed from what is
//! known: the terms still to evaluate on the current chain of records,
//! those of records fetched ahead, answers in hand, and, at the first
//! record not yet known, the worst case for every DNS-querying term the
//! limit still allows. Every later query, asked for or sent ahead, keeps
//! that sum within the limit, so an evaluation with speculation never
//! sends more queries than §4.6.4 lets a sequential one send, whatever the
//! records say: a record with hundreds of includes gets about a dozen of
//! them sent ahead, and the rest only when the evaluation reaches them.
//!
//! Answers that arrive before they are asked for are kept until the
//! evaluation asks for them or ends: at most as many as the limit, where a
//! sequential evaluation holds one at a time. Each is as large as the
//! resolver lets an answer be (a TXT answer over TCP, up to 64 KiB).

use std::borrow::{Borrow, Cow};
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::Arc;
use std::task::Poll;

use foldhash::HashMap;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::future::{Either, select};
use futures_util::stream::FuturesUnordered;

use crate::dns::{
    AnyRecords, DnsResolver, LookupError, Mx, Question, Records, ServerFailure, ask_typed,
};

use super::eval::{Evaluation, checkable_domain, truncate_domain};
use super::macros::{MacroLetter, MacroPart, MacroString};
use super::record::{Mechanism, SpfRecord, Term};

/// How deep the bound follows includes of records fetched ahead; a deeper
/// chain (only a loop of includes with limits raised far past the RFC's
/// gets there) counts as not yet known, which only asks for more room.
const MAX_WALK_DEPTH: usize = 32;

/// The most queries one evaluation may send under RFC 7208 §4.6.4's
/// limits (see the [module documentation](self)).
pub(super) fn query_limit(max_lookups: u32, max_mx_names: usize, max_ptr_names: usize) -> usize {
    let per_term = per_term(max_mx_names, max_ptr_names);
    let terms = usize::try_from(max_lookups).unwrap_or(usize::MAX);
    // The record, the terms, `%{p}` (a PTR and its names), the `exp=` TXT.
    1usize
        .saturating_add(terms.saturating_mul(per_term))
        .saturating_add(max_ptr_names.saturating_add(1))
        .saturating_add(1)
}

/// The most queries one DNS-querying term can send.
fn per_term(max_mx_names: usize, max_ptr_names: usize) -> usize {
    max_mx_names.max(max_ptr_names).saturating_add(1)
}

/// A question with its name owned (and shared by the map of awaited
/// answers and the query in flight), so it can be kept while its answer is
/// awaited. It hashes and compares as its [`Question`], so the map is
/// searched with a borrowed question ([`AsQuestion`]).
#[derive(Clone, Debug)]
enum Key {
    Txt(Arc<str>),
    A(Arc<str>),
    Aaaa(Arc<str>),
    Mx(Arc<str>),
    Ptr(IpAddr),
}

impl Key {
    fn of(question: Question<'_>) -> Self {
        match question {
            Question::Txt(name) => Self::Txt(name.into()),
            Question::A(name) => Self::A(name.into()),
            Question::Aaaa(name) => Self::Aaaa(name.into()),
            Question::Mx(name) => Self::Mx(name.into()),
            Question::Ptr(ip) => Self::Ptr(ip),
        }
    }

    fn question(&self) -> Question<'_> {
        match self {
            Self::Txt(name) => Question::Txt(name),
            Self::A(name) => Question::A(name),
            Self::Aaaa(name) => Question::Aaaa(name),
            Self::Mx(name) => Question::Mx(name),
            Self::Ptr(ip) => Question::Ptr(*ip),
        }
    }
}

/// The address question for `name` in the client's family.
fn address(name: &str, ip: IpAddr) -> Question<'_> {
    match ip {
        IpAddr::V4(_) => Question::A(name),
        IpAddr::V6(_) => Question::Aaaa(name),
    }
}

/// A [`Key`] or a borrowed [`Question`]: the map of awaited answers, keyed
/// by `Key`, is searched with a question without building a key.
trait AsQuestion: Sync {
    fn as_question(&self) -> Question<'_>;
}

impl AsQuestion for Key {
    fn as_question(&self) -> Question<'_> {
        self.question()
    }
}

impl AsQuestion for Question<'_> {
    fn as_question(&self) -> Question<'_> {
        *self
    }
}

impl Hash for dyn AsQuestion + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_question().hash(state);
    }
}

impl PartialEq for dyn AsQuestion + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.as_question() == other.as_question()
    }
}

impl Eq for dyn AsQuestion + '_ {}

impl<'a> Borrow<dyn AsQuestion + 'a> for Key {
    fn borrow(&self) -> &(dyn AsQuestion + 'a) {
        self
    }
}

// As the borrowed form hashes and compares, so must the key.
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.question().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.question() == other.question()
    }
}

impl Eq for Key {}

type Arrival = (Key, Result<AnyRecords, LookupError>);

/// A record being evaluated: one link of the chain from the checked domain
/// through `include` and `redirect`.
#[derive(Debug)]
pub(super) struct Frame {
    domain: String,
    /// `None` while its TXT is awaited.
    record: Option<Arc<SpfRecord>>,
    /// The first term not yet begun; the one before it is in progress.
    /// `terms().len() + 1` once `redirect=` has begun.
    next: usize,
}

/// The speculative side of one evaluation: the records being evaluated
/// and the queries sent; from the first answer that is not at hand, what
/// is sent ahead.
///
/// Nothing is sent ahead while every answer is at hand (an in-memory
/// zone, a warm cache): speculation then could only cost. The first
/// question that has to wait starts it, for the terms not yet evaluated.
pub(super) struct Speculation<'a> {
    resolver: &'a dyn DnsResolver,
    /// Every query sent, asked for or ahead.
    sent: usize,
    limit: usize,
    frames: Vec<Frame>,
    /// Boxed: most evaluations never send ahead, and the evaluation that
    /// holds this is moved as its futures are built.
    active: Option<Box<Active<'a>>>,
}

/// What is sent ahead, once an answer had to be waited for.
struct Active<'a> {
    in_flight: FuturesUnordered<BoxFuture<'a, Arrival>>,
    /// The questions sent ahead and not yet taken by the evaluation: their
    /// answers once arrived, `None` while in flight.
    answers: HashMap<Key, Option<Result<AnyRecords, LookupError>>>,
    /// Records fetched ahead, by domain; `None`: no usable record, so the
    /// evaluation ends where it reaches that domain.
    records: HashMap<Box<str>, Option<Arc<SpfRecord>>>,
    /// MX answers, by name, for the bound on their exchanges' lookups.
    exchanges: HashMap<Box<str>, Records<Mx>>,
}

impl<'a> Speculation<'a> {
    pub(super) fn new(resolver: &'a dyn DnsResolver, limit: usize) -> Self {
        Self {
            resolver,
            sent: 0,
            limit,
            frames: Vec::new(),
            active: None,
        }
    }

    /// Sends `key`, already counted among the answers awaited.
    fn launch(&mut self, key: Key) {
        let resolver = self.resolver;
        let Some(active) = self.active.as_mut() else {
            return;
        };
        self.sent += 1;
        active.in_flight.push(Box::pin(async move {
            let records = ask_typed(resolver, key.question()).await;
            (key, records)
        }));
    }
}

impl Active<'_> {
    fn new() -> Self {
        Self {
            in_flight: FuturesUnordered::new(),
            answers: HashMap::default(),
            records: HashMap::default(),
            exchanges: HashMap::default(),
        }
    }
}

/// Whether walking on can still find queries.
#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// What [`Evaluation::lookup`] finds without waiting.
enum AtHand {
    /// The answer, sent ahead and arrived or at hand at the resolver.
    Answer(Result<AnyRecords, LookupError>),
    /// Sent ahead and still in flight.
    SentAhead,
    /// To be sent (counted already).
    Send,
}

/// A DNS-querying step of a record: a mechanism or the `redirect=`.
enum Step<'r> {
    Mechanism(&'r Mechanism),
    Redirect(&'r MacroString),
}

impl<'a> Evaluation<'a> {
    /// Answers `question`: from an answer sent ahead when there is one,
    /// else by sending it, while the queries in flight arrive and start
    /// the next ones.
    ///
    /// An answer at hand is taken without building a future; only the
    /// waits are boxed, so the futures of every step that asks (and of
    /// `check`, which holds them) stay small to build and to move.
    pub(super) async fn lookup(
        &mut self,
        question: Question<'_>,
    ) -> Result<AnyRecords, LookupError> {
        match self.at_hand(question) {
            AtHand::Answer(answer) => answer,
            AtHand::SentAhead => {
                self.waited = true;
                Box::pin(self.take(question)).await
            }
            AtHand::Send => {
                self.waited = true;
                Box::pin(self.send(question)).await
            }
        }
    }

    /// The answer to `question` if it needs no wait: sent ahead and
    /// arrived, or at hand at the resolver (then counted as sent).
    fn at_hand(&mut self, question: Question<'_>) -> AtHand {
        if let Some(speculation) = self.speculation.as_mut() {
            let lookup: &dyn AsQuestion = &question;
            if let Some(active) = speculation.active.as_mut()
                && let Some(sent) = active.answers.get(lookup)
            {
                if sent.is_none() {
                    return AtHand::SentAhead;
                }
                if let Some(Some(answer)) = active.answers.remove(lookup) {
                    return AtHand::Answer(answer);
                }
            }
            speculation.sent += 1;
        }
        // At hand (an in-memory zone, a cache hit): no future to build.
        let Some(answer) = self.resolver.at_hand(question) else {
            return AtHand::Send;
        };
        if self.active_mut().is_some() {
            self.arrival(question, &answer, false);
        }
        AtHand::Answer(answer)
    }

    /// Sends `question` (already counted as sent) and waits for its
    /// answer, while the queries in flight arrive and start the next ones.
    async fn send(&mut self, question: Question<'_>) -> Result<AnyRecords, LookupError> {
        let resolver = self.resolver;
        let mut asked = std::pin::pin!(ask_typed(resolver, question));
        let Some(speculation) = self.speculation.as_mut() else {
            return asked.await;
        };
        if speculation.active.is_none() {
            if let Poll::Ready(answer) = futures_util::poll!(asked.as_mut()) {
                return answer;
            }
            // The first answer not at hand: from now on, send ahead.
            speculation.active = Some(Box::new(Active::new()));
            self.speculate_frames(false);
        }
        loop {
            let Some(active) = self.speculation.as_mut().and_then(|s| s.active.as_mut()) else {
                return asked.await;
            };
            let arrived = if active.in_flight.is_empty() {
                Either::Left(asked.as_mut().await)
            } else {
                match select(asked.as_mut(), active.in_flight.next()).await {
                    Either::Left((answer, _)) => Either::Left(answer),
                    Either::Right((arrival, _)) => Either::Right(arrival),
                }
            };
            match arrived {
                Either::Left(answer) => {
                    self.arrival(question, &answer, false);
                    return answer;
                }
                Either::Right(Some((key, answer))) => self.store(key, answer),
                Either::Right(None) => {}
            }
        }
    }

    /// The answer to `question`, sent ahead: at hand, or once it arrives.
    async fn take(&mut self, question: Question<'_>) -> Result<AnyRecords, LookupError> {
        let lookup: &dyn AsQuestion = &question;
        loop {
            let Some(active) = self.speculation.as_mut().and_then(|s| s.active.as_mut()) else {
                return ask_typed(self.resolver, question).await;
            };
            if let Some(Some(_)) = active.answers.get(lookup)
                && let Some(Some(answer)) = active.answers.remove(lookup)
            {
                return answer;
            }
            // Awaited and not arrived: in flight.
            let Some((key, answer)) = active.in_flight.next().await else {
                return Err(LookupError::ServerFailure(ServerFailure::Protocol(
                    "a speculative query was lost".to_owned(),
                )));
            };
            if key.question() == question {
                active.answers.remove(lookup);
                self.arrival(question, &answer, false);
                return answer;
            }
            self.store(key, answer);
        }
    }

    /// Keeps an answer that arrived before it was asked for.
    fn store(&mut self, key: Key, answer: Result<AnyRecords, LookupError>) {
        self.arrival(key.question(), &answer, true);
        if let Some(slot) = self
            .active_mut()
            .and_then(|active| active.answers.get_mut(&key))
        {
            *slot = Some(answer);
        }
    }

    fn active_mut(&mut self) -> Option<&mut Active<'a>> {
        self.speculation.as_mut()?.active.as_deref_mut()
    }

    /// What an answer starts: an MX answer its exchanges' lookups; a TXT
    /// answer fetched ahead the lookups of the record it holds.
    fn arrival(
        &mut self,
        question: Question<'_>,
        answer: &Result<AnyRecords, LookupError>,
        ahead: bool,
    ) {
        match (question, answer) {
            (Question::Mx(name), Ok(AnyRecords::Mx(exchanges))) => {
                let Some(active) = self.active_mut() else {
                    return;
                };
                active.exchanges.insert(name.into(), exchanges.clone());
                if exchanges.len() > self.config().max_mx_names {
                    return; // §4.6.4: a permerror; none is looked up.
                }
                let keys = exchanges
                    .iter()
                    .map(|mx| Key::of(address(&mx.exchange, self.ip)))
                    .collect();
                self.speculate(keys);
            }
            (Question::Ptr(_), Ok(AnyRecords::Ptr(names))) => {
                // The names `ptr` and `%{p}` validate (§5.5, §7.3).
                let limit = self.config().max_ptr_names;
                let keys = names
                    .iter()
                    .take(limit)
                    .map(|name| Key::of(address(name, self.ip)))
                    .collect();
                self.speculate(keys);
            }
            (Question::Txt(domain), answer) if ahead => {
                let record = match answer {
                    Ok(AnyRecords::Txt(txts)) => match super::eval::select_record(txts) {
                        Ok(Some(text)) => self.verifier.cache().parse(&text).ok(),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(active) = self.active_mut() {
                    active.records.insert(domain.into(), record.clone());
                }
                if let Some(record) = record {
                    self.speculate_record(&record, domain);
                }
            }
            _ => {}
        }
    }

    /// Sends ahead the lookups of `record`'s terms, in order, while the
    /// bound allows.
    pub(super) fn speculate_record(&mut self, record: &SpfRecord, domain: &str) {
        self.speculate_terms(record, domain, 0);
    }

    /// `%{p}` is known: sends ahead the targets that needed it, in the
    /// records being evaluated, from the term in progress on.
    pub(super) fn speculate_after_validated_name(&mut self) {
        self.speculate_frames(true);
    }

    /// Sends ahead the lookups of the terms not yet evaluated in the
    /// records being evaluated, innermost first; `in_progress`: the
    /// innermost record's term in progress too.
    fn speculate_frames(&mut self, in_progress: bool) {
        let Some(speculation) = &self.speculation else {
            return;
        };
        let frames: Vec<_> = speculation
            .frames
            .iter()
            .rev()
            .enumerate()
            .filter_map(|(i, frame)| {
                let from = if i == 0 && in_progress {
                    frame.next.saturating_sub(1)
                } else {
                    frame.next
                };
                Some((frame.record.clone()?, frame.domain.clone(), from))
            })
            .collect();
        for (record, domain, from) in frames {
            self.speculate_terms(&record, &domain, from);
        }
    }

    fn speculate_terms(&mut self, record: &SpfRecord, domain: &str, from: usize) {
        let active = self
            .speculation
            .as_ref()
            .is_some_and(|speculation| speculation.active.is_some());
        if !active || !self.counting {
            return;
        }
        let mut slots = self.config().max_lookups.saturating_sub(self.lookups);
        let mut keys = Vec::new();
        for step in dns_steps(record, from) {
            // The terms past the limit are never reached.
            if slots == 0 {
                break;
            }
            slots -= 1;
            let key = match step {
                Step::Mechanism(Mechanism::Include(spec)) | Step::Redirect(spec) => self
                    .expand_ahead(spec, domain)
                    .filter(|target| checkable_domain(target))
                    .map(|target| Key::Txt(target.into())),
                Step::Mechanism(Mechanism::A { domain: spec, .. }) => self
                    .target_ahead(spec.as_ref(), domain)
                    .map(|name| Key::of(address(&name, self.ip))),
                Step::Mechanism(Mechanism::Mx { domain: spec, .. }) => self
                    .target_ahead(spec.as_ref(), domain)
                    .map(|name| Key::Mx(name.into())),
                Step::Mechanism(Mechanism::Exists(spec)) => self
                    .expand_ahead(spec, domain)
                    .map(|name| Key::A(name.into())),
                Step::Mechanism(Mechanism::Ptr(_)) => Some(Key::Ptr(self.ip)),
                Step::Mechanism(_) => None,
            };
            // A target that needs `%{p}` first: its PTR (its names follow
            // when it arrives).
            let key = key.or_else(|| {
                (self.validated_name.is_none() && needs_validated_name(&step))
                    .then_some(Key::Ptr(self.ip))
            });
            keys.extend(key);
        }
        self.speculate(keys);
    }

    /// Sends `keys` ahead, in order, while the bound allows: all at once
    /// when it allows all (one computation of the bound), else one by one
    /// up to the first it refuses.
    fn speculate(&mut self, keys: Vec<Key>) {
        if !self.counting {
            return;
        }
        let Some(active) = self.active_mut() else {
            return;
        };
        let mut fresh = Vec::with_capacity(keys.len());
        for key in keys {
            if !active.answers.contains_key(&key) {
                // Counted as sent while the bound is computed.
                active.answers.insert(key.clone(), None);
                fresh.push(key);
            }
        }
        if fresh.is_empty() || self.admit(fresh.len()) {
            if let Some(speculation) = self.speculation.as_mut() {
                for key in fresh {
                    speculation.launch(key);
                }
            }
            return;
        }
        if let Some(active) = self.active_mut() {
            for key in &fresh {
                active.answers.remove(key);
            }
        }
        for key in fresh {
            if let Some(active) = self.active_mut() {
                active.answers.insert(key.clone(), None);
            }
            if !self.admit(1) {
                if let Some(active) = self.active_mut() {
                    active.answers.remove(&key);
                }
                return;
            }
            if let Some(speculation) = self.speculation.as_mut() {
                speculation.launch(key);
            }
        }
    }

    /// Whether `count` more queries, already counted among the answers
    /// awaited, keep the evaluation within the limit.
    fn admit(&self, count: usize) -> bool {
        self.speculation.as_ref().is_some_and(|speculation| {
            speculation
                .sent
                .saturating_add(count)
                .saturating_add(self.demand_bound())
                <= speculation.limit
        })
    }

    /// The most queries the evaluation can still ask for that are not
    /// outstanding (see the module documentation).
    fn demand_bound(&self) -> usize {
        let Some((speculation, active)) = self
            .speculation
            .as_ref()
            .and_then(|speculation| Some((speculation, speculation.active.as_ref()?)))
        else {
            return usize::MAX;
        };
        let config = self.config();
        let mut walk = Walk {
            eval: self,
            active,
            slots: usize::try_from(config.max_lookups.saturating_sub(self.lookups))
                .unwrap_or(usize::MAX),
            // The `exp=` TXT, and `%{p}` until it is known.
            total: 1 + if self.validated_name.is_none() {
                config.max_ptr_names.saturating_add(1)
            } else {
                0
            },
            used: Vec::new(),
        };
        let frames = &speculation.frames;
        for (index, frame) in frames.iter().enumerate().rev() {
            let Some(record) = &frame.record else {
                walk.unknown();
                break;
            };
            if index + 1 == frames.len() && walk.in_progress(record, frame) == Flow::Stop {
                break;
            }
            if walk.record(record, &frame.domain, frame.next, 0) == Flow::Stop {
                break;
            }
        }
        walk.total
    }

    /// `spec` expanded as the evaluation will expand it, when that needs
    /// no lookup and no clock.
    fn expand_ahead<'s>(&self, spec: &'s MacroString, domain: &str) -> Option<Cow<'s, str>> {
        // Most targets are plain names: as they are, unless too long.
        if let Some(name) = spec.as_literal()
            && name.len() <= crate::dns::MAX_NAME_LEN
        {
            return Some(Cow::Borrowed(name));
        }
        let mut validated = None;
        for part in spec.parts() {
            if let MacroPart::Macro(m) = part {
                match m.letter {
                    MacroLetter::Timestamp => return None,
                    MacroLetter::ValidatedName => {
                        validated = Some(self.validated_name.as_ref()?.as_deref());
                    }
                    _ => {}
                }
            }
        }
        let mut out = String::new();
        spec.expand(&self.macro_values(domain, validated.flatten(), 0), &mut out);
        Some(Cow::Owned(truncate_domain(out)))
    }

    fn target_ahead<'s>(
        &self,
        spec: Option<&'s MacroString>,
        domain: &'s str,
    ) -> Option<Cow<'s, str>> {
        match spec {
            Some(spec) => self.expand_ahead(spec, domain),
            None => Some(Cow::Borrowed(domain)),
        }
    }

    /// check_host() begins for `domain`.
    pub(super) fn enter(&mut self, domain: &str) {
        if let Some(speculation) = self.speculation.as_mut() {
            speculation.frames.push(Frame {
                domain: domain.to_owned(),
                record: None,
                next: 0,
            });
        }
    }

    /// The record of the current check_host() is in hand.
    pub(super) fn entered(&mut self, record: &Arc<SpfRecord>) {
        if let Some(frame) = self.top_frame() {
            frame.record = Some(record.clone());
        }
    }

    /// The current record's term `index` begins (`terms().len()`: its
    /// `redirect=`).
    pub(super) fn begin_term(&mut self, index: usize) {
        if let Some(frame) = self.top_frame() {
            frame.next = index + 1;
        }
    }

    /// The current check_host() is over.
    pub(super) fn leave(&mut self) {
        if let Some(speculation) = self.speculation.as_mut() {
            speculation.frames.pop();
        }
    }

    fn top_frame(&mut self) -> Option<&mut Frame> {
        self.speculation.as_mut()?.frames.last_mut()
    }
}

/// Whether the step's domain-spec uses `%{p}`.
fn needs_validated_name(step: &Step<'_>) -> bool {
    let spec = match *step {
        Step::Redirect(spec)
        | Step::Mechanism(Mechanism::Include(spec) | Mechanism::Exists(spec)) => Some(spec),
        Step::Mechanism(
            Mechanism::A { domain: spec, .. }
            | Mechanism::Mx { domain: spec, .. }
            | Mechanism::Ptr(spec),
        ) => spec.as_ref(),
        Step::Mechanism(_) => None,
    };
    spec.is_some_and(|spec| {
        spec.parts().iter().any(
            |part| matches!(part, MacroPart::Macro(m) if m.letter == MacroLetter::ValidatedName),
        )
    })
}

/// The DNS-querying steps of a record from term `from` on, in evaluation
/// order, `redirect=` last (`from` past the terms: none).
fn dns_steps(record: &SpfRecord, from: usize) -> impl Iterator<Item = Step<'_>> {
    let terms = record.terms();
    terms
        .iter()
        .skip(from)
        .filter_map(|term| match term {
            Term::Directive(d) if d.mechanism.queries_dns() => Some(Step::Mechanism(&d.mechanism)),
            _ => None,
        })
        .chain(
            record
                .redirect()
                .filter(|_| from <= terms.len())
                .map(Step::Redirect),
        )
}

/// One computation of the bound: the queries the rest of the evaluation
/// can ask for, term by term, with the DNS-querying terms the limit still
/// allows.
struct Walk<'e, 'a> {
    eval: &'e Evaluation<'a>,
    active: &'e Active<'a>,
    slots: usize,
    total: usize,
    /// Awaited questions already counted as answered once: a second term
    /// asking the same question asks again.
    used: Vec<&'e Key>,
}

impl Walk<'_, '_> {
    fn add(&mut self, queries: usize) {
        self.total = self.total.saturating_add(queries);
    }

    /// A record not yet known: every DNS-querying term left may be its,
    /// at the most queries a term can send.
    fn unknown(&mut self) -> Flow {
        let config = self.eval.config();
        let per_term = per_term(config.max_mx_names, config.max_ptr_names);
        self.add(self.slots.saturating_mul(per_term));
        self.slots = 0;
        Flow::Stop
    }

    /// 0 when `question` is awaited and not yet counted, else 1.
    fn ask(&mut self, question: Question<'_>) -> usize {
        let lookup: &dyn AsQuestion = &question;
        match self.active.answers.get_key_value(lookup) {
            Some((key, _)) if !self.used.contains(&key) => {
                self.used.push(key);
                0
            }
            _ => 1,
        }
    }

    /// The exchanges' address lookups an `mx` for `name` can still send.
    fn exchanges(&mut self, name: Option<&str>) -> usize {
        let config = self.eval.config();
        let known = name.and_then(|name| self.active.exchanges.get(name));
        match known {
            Some(exchanges) if exchanges.len() > config.max_mx_names => 0,
            Some(exchanges) => exchanges
                .iter()
                .map(|mx| self.ask(address(&mx.exchange, self.eval.ip)))
                .sum(),
            None => config.max_mx_names,
        }
    }

    /// What the term in progress in the innermost record can still send.
    fn in_progress(&mut self, record: &SpfRecord, frame: &Frame) -> Flow {
        let Some(index) = frame.next.checked_sub(1) else {
            return Flow::Continue;
        };
        let Some(term) = record.terms().get(index) else {
            // `redirect=` in progress: its record is not yet known.
            return self.unknown();
        };
        let Term::Directive(directive) = term else {
            return Flow::Continue;
        };
        match &directive.mechanism {
            // Its record is not yet known (its target is being expanded).
            Mechanism::Include(_) => return self.unknown(),
            Mechanism::Mx { domain: spec, .. } => {
                let name = self.eval.target_ahead(spec.as_ref(), &frame.domain);
                let exchanges = self.exchanges(name.as_deref());
                self.add(exchanges);
            }
            Mechanism::Ptr(_) => self.add(self.eval.config().max_ptr_names.saturating_add(1)),
            Mechanism::A { .. } | Mechanism::Exists(_) => self.add(1),
            Mechanism::All | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => {}
        }
        Flow::Continue
    }

    /// The steps of `record` (of `domain`) from term `from` on, then its
    /// `redirect=`, following the records fetched ahead.
    fn record(&mut self, record: &SpfRecord, domain: &str, from: usize, depth: usize) -> Flow {
        for step in dns_steps(record, from) {
            if self.slots == 0 {
                // This term is a permerror: nothing after it is sent.
                return Flow::Stop;
            }
            self.slots -= 1;
            let config = self.eval.config();
            match step {
                Step::Mechanism(Mechanism::Include(spec)) | Step::Redirect(spec) => {
                    let Some(target) = self.eval.expand_ahead(spec, domain) else {
                        return self.unknown();
                    };
                    if !checkable_domain(&target) {
                        // check_host() gives none: a permerror ends it.
                        return Flow::Stop;
                    }
                    let asked = self.ask(Question::Txt(&target));
                    self.add(asked);
                    let active = self.active;
                    match active.records.get(&*target) {
                        Some(Some(child)) if depth < MAX_WALK_DEPTH => {
                            if self.record(child, &target, 0, depth + 1) == Flow::Stop {
                                return Flow::Stop;
                            }
                        }
                        // No usable record: the evaluation ends there.
                        Some(None) => return Flow::Stop,
                        _ => return self.unknown(),
                    }
                }
                Step::Mechanism(Mechanism::A { domain: spec, .. }) => {
                    let asked = match self.eval.target_ahead(spec.as_ref(), domain) {
                        Some(name) => self.ask(address(&name, self.eval.ip)),
                        None => 1,
                    };
                    self.add(asked);
                }
                Step::Mechanism(Mechanism::Exists(spec)) => {
                    let asked = match self.eval.expand_ahead(spec, domain) {
                        Some(name) => self.ask(Question::A(&name)),
                        None => 1,
                    };
                    self.add(asked);
                }
                Step::Mechanism(Mechanism::Mx { domain: spec, .. }) => {
                    let name = self.eval.target_ahead(spec.as_ref(), domain);
                    let asked = match &name {
                        Some(name) => self.ask(Question::Mx(name)),
                        None => 1,
                    };
                    let exchanges = self.exchanges(name.as_deref());
                    self.add(asked.saturating_add(exchanges));
                }
                Step::Mechanism(_) => self.add(config.max_ptr_names.saturating_add(1)),
            }
        }
        Flow::Continue
    }
}

#[cfg(test)]
mod tests;
