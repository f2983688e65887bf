//! The values-schema helper thread: validation overlaps rendering on a
//! second core, and the thread stays for the next render on the same
//! calling thread (starting one costs 60 to 100 µs, a third of an
//! in-process render of a small chart with a schema).

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use super::{Prepared, VALIDATION_STACK};

struct Job {
    prepared: Prepared,
    reply: SyncSender<Result<(), String>>,
}

thread_local! {
    /// This thread's helper; it ends when this thread does (the sender is
    /// dropped and its job loop finishes).
    static HELPER: RefCell<Option<Sender<Job>>> = const { RefCell::new(None) };
}

const FAILED: &str = "schema validation failed unexpectedly";

fn spawn() -> Option<Sender<Job>> {
    let (tx, rx) = channel::<Job>();
    std::thread::Builder::new()
        .name("values-schema".into())
        .stack_size(VALIDATION_STACK)
        .spawn(move || {
            for job in rx {
                // A panic must not take the helper (and every later render's
                // validation) with it.
                let r = catch_unwind(AssertUnwindSafe(|| job.prepared.run_on_big_stack()))
                    .unwrap_or_else(|_| Err(FAILED.into()));
                let _ = job.reply.send(r);
            }
        })
        .ok()?;
    Some(tx)
}

/// A values validation under way, or already done.
pub enum Pending {
    /// Running on the helper.
    Running(Receiver<Result<(), String>>),
    /// Nothing to validate, or validated in place (no helper could run).
    Done(Result<(), String>),
}

impl Pending {
    /// Its result: Helm's whole message on failure.
    pub fn wait(self) -> Result<(), String> {
        match self {
            Pending::Running(rx) => rx.recv().unwrap_or_else(|_| Err(FAILED.into())),
            Pending::Done(r) => r,
        }
    }
}

/// Start `p` on this thread's helper (started on first use); with nothing
/// to validate, nothing starts. When no helper thread can run, `p` is
/// validated here and now, before the caller renders.
pub fn start(p: Prepared) -> Pending {
    if p.is_empty() {
        return Pending::Done(Ok(()));
    }
    let sent = HELPER.with(|h| {
        let mut h = h.borrow_mut();
        if h.is_none() {
            *h = spawn();
        }
        let Some(tx) = h.as_ref() else {
            return Err(p);
        };
        let (reply, rx) = sync_channel(1);
        tx.send(Job { prepared: p, reply })
            .map(|()| rx)
            .map_err(|e| {
                // The helper is gone: forget it, so the next render starts one.
                *h = None;
                e.0.prepared
            })
    });
    match sent {
        Ok(rx) => Pending::Running(rx),
        Err(p) => Pending::Done(p.run()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(schema: &str, values: &str) -> Prepared {
        let list = vec![
            (
                "Chart.yaml".to_string(),
                b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec(),
            ),
            ("values.schema.json".to_string(), schema.as_bytes().to_vec()),
        ];
        let chart = crate::chart::files::from_files(list, "c").expect("chart loads");
        let v = crate::yaml::parse_values(values).expect("values parse");
        super::super::prepare_chart_values(&chart, &v)
    }

    #[test]
    fn one_helper_serves_many_renders_with_each_result() {
        let schema = r#"{"type":"object","properties":{"count":{"type":"integer"}}}"#;
        for i in 0..20 {
            let ok = i % 2 == 0;
            let values = if ok { "count: 1\n" } else { "count: x\n" };
            let pending = start(prepared(schema, values));
            assert!(matches!(pending, Pending::Running(_)), "no helper");
            let r = pending.wait();
            assert_eq!(r.is_ok(), ok, "{r:?}");
        }
    }
}
