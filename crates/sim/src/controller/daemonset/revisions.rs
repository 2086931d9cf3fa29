//! ControllerRevisions: the DaemonSet's template history (semantics §7.7).
//!
//! Source: `pkg/controller/daemon/update.go` (`constructHistory`, `dedupCurHistories`,
//! `cleanupHistory`, `snapshot`, `Match`); rollback: kubectl `pkg/polymorphichelpers/rollback.go`
//! (`DaemonSetRollbacker`).

use crate::api::SpecOf;
use crate::cluster::{Actor, Controllers, Revision, World};
use crate::controller::daemonset::history::compute_hash;

/// Finds or creates the revision of the current template; renumbers a matching old revision to
/// `max + 1` (that is what a rollback looks like from the controller). Returns whether it acted.
pub fn sync_history(w: &mut World, ctl: &mut dyn Controllers, di: usize) -> bool {
    let d = &w.daemonsets[di];
    let collisions = d.ds.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0);
    let owned = |r: &&Revision| r.owner.as_deref() == Some(d.name.as_str());
    let max = w
        .revisions
        .iter()
        .filter(owned)
        .map(|r| r.revision)
        .max()
        .unwrap_or(0);
    // Compared in place: the template is cloned only when a new revision is made.
    let matching = w
        .revisions
        .iter()
        .enumerate()
        .filter(|(_, r)| owned(r) && r.template == d.ds.spec().template)
        .max_by_key(|(_, r)| r.revision)
        .map(|(i, _)| i);
    let name = d.name.clone();
    match matching {
        Some(i) => {
            let hash = w.revisions[i].hash.clone();
            if w.daemonsets[di].current_hash != hash {
                // UP-TO-DATE counts pods with the current hash: every node's share changes.
                w.queues.status_all_dirty = true;
                w.queues.manage_all_dirty = true;
                w.touch_daemonsets();
            }
            w.daemonsets[di].current_hash = hash;
            if w.revisions[i].revision < max {
                let old = w.revisions[i].revision;
                w.revisions[i].revision = max + 1;
                let rname = w.revisions[i].name.clone();
                w.touch_daemonsets();
                w.record(
                    ctl,
                    Actor::DaemonsetController,
                    "renumber-revision",
                    format!("controllerrevision/{rname}"),
                    None,
                    format!("ControllerRevision {rname} matches the template again: revision {old} becomes revision {}", max + 1),
                    None,
                );
                return true;
            }
            false
        }
        None => {
            let template = w.daemonsets[di].ds.spec().template.clone();
            let hash = compute_hash(&template, collisions);
            let rname = format!("{name}-{hash}");
            w.revisions.push(Revision {
                name: rname.clone(),
                owner: Some(name.to_string()),
                revision: max + 1,
                hash: hash.clone(),
                template,
            });
            w.daemonsets[di].current_hash = hash.clone();
            w.queues.status_all_dirty = true;
            w.queues.manage_all_dirty = true;
            w.touch_daemonsets();
            w.record(
                ctl,
                Actor::DaemonsetController,
                "create-revision",
                format!("controllerrevision/{rname}"),
                None,
                format!(
                    "Created ControllerRevision {rname} (revision {}, controller-revision-hash {hash})",
                    max + 1
                ),
                None,
            );
            true
        }
    }
}

/// `cleanupHistory`: keep at most revisionHistoryLimit old revisions, oldest deleted first, never
/// one whose hash is still on a pod.
pub fn cleanup_history(w: &mut World, ctl: &mut dyn Controllers, di: usize) {
    let d = &w.daemonsets[di];
    let limit = d.ds.spec().revision_history_limit.unwrap_or(10).max(0) as usize;
    let name = d.name.clone();
    let current = d.current_hash.clone();
    let owned_old = w
        .revisions
        .iter()
        .filter(|r| r.owner.as_deref() == Some(&name) && r.hash != current)
        .count();
    if owned_old <= limit {
        return; // the common case: nothing to clean, no need to look at every pod
    }
    let live: std::collections::HashSet<String> = w
        .pods
        .values()
        .filter(|p| p.owner.as_deref() == Some(&name))
        .filter_map(|p| p.hash().map(str::to_string))
        .collect();
    let mut old: Vec<(i64, String)> = w
        .revisions
        .iter()
        .filter(|r| r.owner.as_deref() == Some(&name) && r.hash != current && !live.contains(&r.hash))
        .map(|r| (r.revision, r.name.clone()))
        .collect();
    let total_old = w
        .revisions
        .iter()
        .filter(|r| r.owner.as_deref() == Some(&name) && r.hash != current)
        .count();
    if total_old <= limit {
        return;
    }
    crate::sort::sort(&mut old);
    for (rev, rname) in old.into_iter().take(total_old - limit) {
        w.revisions.retain(|r| r.name != rname);
        w.touch_daemonsets();
        w.record(
            ctl,
            Actor::DaemonsetController,
            "delete-revision",
            format!("controllerrevision/{rname}"),
            None,
            format!("Deleted ControllerRevision {rname} (revision {rev}): more than revisionHistoryLimit {limit} old revisions"),
            None,
        );
    }
}

/// What `kubectl rollout undo daemonset/NAME [--to-revision=N]` decides: the revision to restore,
/// or a message saying why nothing happens.
pub fn rollback_target(w: &World, di: usize, to_revision: Option<i64>) -> Result<Revision, String> {
    let d = &w.daemonsets[di];
    let mut history: Vec<&Revision> = w
        .revisions
        .iter()
        .filter(|r| r.owner.as_deref() == Some(&d.name))
        .collect();
    crate::sort::sort_by_key(&mut history, |r| r.revision);
    let target = match to_revision {
        Some(n) if n > 0 => history
            .iter()
            .find(|r| r.revision == n)
            .copied()
            .ok_or_else(|| format!("error: unable to find specified revision {n} in history"))?,
        _ => {
            if history.is_empty() {
                return Err("error: no rollout history found for daemonset".into());
            }
            if history.len() < 2 {
                return Err("error: no revision to roll back to (only one revision in history)".into());
            }
            history[history.len() - 2]
        }
    };
    if target.template == d.ds.spec().template {
        return Err(format!(
            "daemonset.apps/{} skipped rollback (current template already matches revision {})",
            d.name, target.revision
        ));
    }
    Ok(target.clone())
}
