//! Group commit: concurrent writes of one kind are written together, in one transaction, by
//! whichever of their requests holds the turn. A write then pays its share of one BEGIN, one
//! COMMIT and a few multi-row statements instead of a dozen round trips of its own, which is
//! what bounds writes under SQLite's single writer (docs/performance.md).
//!
//! The queue lives in this node's memory only while its requests wait: each request that
//! queues a job also waits for the turn (or its answer), and a job whose request has gone
//! (its client hung up) is dropped unwritten when a turn finds it. Nothing here is needed by
//! another node.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::Status;

/// At most this many jobs share a transaction; the rest wait for the next turn.
const MAX_JOBS_PER_BATCH: usize = 64;

/// The queue of one kind of write.
pub struct GroupCommit<J, R> {
    waiting: Mutex<Vec<(J, oneshot::Sender<R>)>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl<J: Send + 'static, R: Send + 'static> GroupCommit<J, R> {
    fn new() -> Self {
        GroupCommit {
            waiting: Mutex::new(Vec::new()),
            turn: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Queues `job` and answers its result. When this request gets the turn it runs every
    /// queued job (its own, unless an earlier turn took it) through `write`, which answers one
    /// result per job, in order.
    pub async fn run<W, F>(&self, job: J, write: W) -> Result<R, Status>
    where
        W: FnOnce(Vec<J>) -> F,
        F: Future<Output = Vec<R>> + Send + 'static,
    {
        let (reply, mut answer) = oneshot::channel();
        self.lock_waiting().push((job, reply));
        // A job is usually taken by the turn before ours: its answer then ends the wait for
        // the turn, which this request no longer needs.
        let turn = tokio::select! {
            biased;
            answered = &mut answer => return answered.map_err(|_| batch_failed()),
            turn = self.turn.clone().lock_owned() => turn,
        };
        let batch: Vec<(J, oneshot::Sender<R>)> = {
            let mut waiting = self.lock_waiting();
            waiting.retain(|(_, reply)| !reply.is_closed());
            let taken = waiting.len().min(MAX_JOBS_PER_BATCH);
            waiting.drain(..taken).collect()
        };
        if batch.is_empty() {
            drop(turn);
        } else {
            let (jobs, replies): (Vec<J>, Vec<oneshot::Sender<R>>) = batch.into_iter().unzip();
            let written = write(jobs);
            // The batch carries other requests' jobs, so it runs on its own task: this request
            // going away (its client hung up) must not cancel them.
            tokio::spawn(async move {
                let results = written.await;
                for (reply, result) in replies.into_iter().zip(results) {
                    // A request whose client hung up no longer listens.
                    let _ = reply.send(result);
                }
                drop(turn);
            });
        }
        answer.await.map_err(|_| batch_failed())
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<(J, oneshot::Sender<R>)>> {
        // A panic cannot leave the queue half-changed (push and drain are whole), so a
        // poisoned lock still holds a usable queue.
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn batch_failed() -> Status {
    Status::internal("the write batch holding this request failed")
}

/// A node's group commits, one per kind of write (keyed by its job and result types).
#[derive(Default)]
pub struct GroupCommits {
    kinds: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl GroupCommits {
    pub fn of<J: Send + 'static, R: Send + 'static>(&self) -> Arc<GroupCommit<J, R>> {
        let mut kinds = self
            .kinds
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let kind = kinds
            .entry(TypeId::of::<GroupCommit<J, R>>())
            .or_insert_with(|| Arc::new(GroupCommit::<J, R>::new()))
            .clone();
        kind.downcast()
            .expect("a group commit is stored under its own type")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn concurrent_jobs_share_batches_and_each_gets_its_own_result() {
        let commits = GroupCommits::default();
        let batches = Arc::new(Mutex::new(Vec::new()));
        let mut requests = Vec::new();
        for job in 0..200u32 {
            let group = commits.of::<u32, u32>();
            let batches = batches.clone();
            requests.push(tokio::spawn(async move {
                group
                    .run(job, move |jobs: Vec<u32>| async move {
                        batches.lock().unwrap().push(jobs.len());
                        tokio::task::yield_now().await;
                        jobs.into_iter().map(|job| job * 2).collect()
                    })
                    .await
            }));
        }
        for (job, request) in requests.into_iter().enumerate() {
            assert_eq!(request.await.unwrap().unwrap(), job as u32 * 2);
        }
        let batches = batches.lock().unwrap();
        assert_eq!(batches.iter().sum::<usize>(), 200);
        assert!(batches.iter().all(|&size| size <= MAX_JOBS_PER_BATCH));
    }

    #[tokio::test]
    async fn a_job_whose_request_has_gone_is_not_written() {
        let group = GroupCommits::default().of::<u32, u32>();
        let written = Arc::new(Mutex::new(Vec::new()));
        // The turn is held, so the first request queues its job and waits; then it goes away.
        let turn = group.turn.clone().lock_owned().await;
        let gone = {
            let group = group.clone();
            let written = written.clone();
            tokio::spawn(async move {
                group
                    .run(1, move |jobs: Vec<u32>| async move {
                        written.lock().unwrap().extend(jobs.iter().copied());
                        jobs
                    })
                    .await
            })
        };
        while group.lock_waiting().is_empty() {
            tokio::task::yield_now().await;
        }
        gone.abort();
        let _ = gone.await;
        drop(turn);
        let recorded = written.clone();
        let answer = group
            .run(2, move |jobs: Vec<u32>| async move {
                recorded.lock().unwrap().extend(jobs.iter().copied());
                jobs
            })
            .await;
        assert_eq!(answer.unwrap(), 2);
        assert_eq!(*written.lock().unwrap(), vec![2]);
    }

    #[tokio::test]
    async fn a_failed_batch_answers_an_error_not_a_hang() {
        let group = GroupCommits::default().of::<u32, u32>();
        let failed = group
            .run(1, |_jobs: Vec<u32>| async move {
                panic!("the batch failed");
                #[allow(unreachable_code)]
                Vec::new()
            })
            .await;
        assert_eq!(failed.unwrap_err().code(), crate::Code::Internal);
    }
}
