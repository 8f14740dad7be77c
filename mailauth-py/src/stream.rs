//! Reports that a background task produces, handed to Python as an async
//! iterator (`__anext__`) or a blocking one (`__next__`), in batches so
//! that a report costs no wake-up of its own.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::sync::mpsc;

use crate::resolver::runtime;

/// After the report a waiting call gets, how long the runtime keeps
/// collecting more for the next calls, and how many at most. Every wait
/// costs a hand-off between the runtime's thread and Python's (a wake-up
/// and the GIL); one per report cost more than the DNS work (10,000
/// reports a second in the DNSBL throughput benchmark). One millisecond is
/// nothing next to a DNS timeout.
const BATCH_WAIT: Duration = Duration::from_millis(1);
const BATCH_MAX: usize = 256;

/// The receiving end of a background task's reports.
pub(crate) struct Reports<T> {
    receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<T>>>,
    /// Reports taken from the channel with an earlier one, not handed out
    /// yet.
    ready: Arc<Mutex<VecDeque<T>>>,
}

fn lock<T>(ready: &Mutex<VecDeque<T>>) -> std::sync::MutexGuard<'_, VecDeque<T>> {
    ready.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits for the next report, then collects what else arrives within
/// [`BATCH_WAIT`] into `ready`; `None` once the producer is done.
async fn next_batch<T>(
    receiver: &tokio::sync::Mutex<mpsc::Receiver<T>>,
    ready: &Mutex<VecDeque<T>>,
) -> Option<T> {
    let mut waiting = receiver.lock().await;
    let first = waiting.recv().await?;
    let mut batch = Vec::new();
    let collect = async {
        // recv_many gives 0 once the producer is done.
        while batch.len() < BATCH_MAX {
            let room = BATCH_MAX - batch.len();
            if waiting.recv_many(&mut batch, room).await == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(BATCH_WAIT, collect).await;
    lock(ready).extend(batch);
    Some(first)
}

impl<T> Reports<T>
where
    T: Send + 'static + for<'py> IntoPyObject<'py>,
{
    /// The reports a producer sends on the other end of `receiver`.
    pub(crate) fn new(receiver: mpsc::Receiver<T>) -> Self {
        Self {
            receiver: Arc::new(tokio::sync::Mutex::new(receiver)),
            ready: Arc::default(),
        }
    }

    /// A report at hand without waiting: one collected earlier, or one
    /// already in the channel. `Err(())` once the producer is done.
    fn at_hand(&self) -> Result<Option<T>, ()> {
        if let Some(report) = lock(&self.ready).pop_front() {
            return Ok(Some(report));
        }
        if let Ok(mut waiting) = self.receiver.try_lock() {
            return match waiting.try_recv() {
                Ok(report) => Ok(Some(report)),
                Err(mpsc::error::TryRecvError::Disconnected) => Err(()),
                Err(mpsc::error::TryRecvError::Empty) => Ok(None),
            };
        }
        Ok(None)
    }

    /// `__anext__`: an awaitable of the next report, raising
    /// `StopAsyncIteration` after the last. A report at hand comes back in
    /// a future completed on the spot, without a round trip through the
    /// runtime.
    pub(crate) fn anext<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        use pyo3::exceptions::PyStopAsyncIteration;
        match self.at_hand() {
            Ok(Some(report)) => {
                let future =
                    pyo3_async_runtimes::get_running_loop(py)?.call_method0("create_future")?;
                future.call_method1("set_result", (report,))?;
                return Ok(future);
            }
            Err(()) => return Err(PyStopAsyncIteration::new_err(())),
            Ok(None) => {}
        }
        let (receiver, ready) = (Arc::clone(&self.receiver), Arc::clone(&self.ready));
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            next_batch(&receiver, &ready)
                .await
                .ok_or_else(|| PyStopAsyncIteration::new_err(()))
        })
    }

    /// `__next__`: the next report, waiting with the GIL released; `None`
    /// after the last.
    pub(crate) fn next_blocking(&self, py: Python<'_>) -> Option<T> {
        match self.at_hand() {
            Ok(Some(report)) => return Some(report),
            Err(()) => return None,
            Ok(None) => {}
        }
        py.detach(|| runtime().block_on(next_batch(&self.receiver, &self.ready)))
    }
}
