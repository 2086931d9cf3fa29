//! The pods the API server holds, by id. Ids are handed out in increasing order and never
//! reused, so a vector indexed by id keeps them in creation order (the order every walk over
//! the pods follows) and finds one without walking a tree: the actors look pods up by id many
//! times per step.

use super::{PodId, SimPod};

#[derive(Debug, Clone, Default)]
pub struct PodStore {
    /// Slot `id` holds pod `id` while it exists. Boxed: a slot of a pod that is gone costs a
    /// pointer, not a whole pod.
    slots: Vec<Option<Box<SimPod>>>,
    len: usize,
}

impl PodStore {
    pub fn get(&self, id: &PodId) -> Option<&SimPod> {
        self.slots.get(slot(id))?.as_deref()
    }
    pub fn get_mut(&mut self, id: &PodId) -> Option<&mut SimPod> {
        self.slots.get_mut(slot(id))?.as_deref_mut()
    }
    pub fn contains_key(&self, id: &PodId) -> bool {
        self.get(id).is_some()
    }
    /// Stores `pod` as `id`, returning the pod it replaces.
    pub fn insert(&mut self, id: PodId, pod: SimPod) -> Option<SimPod> {
        let i = slot(&id);
        if i >= self.slots.len() {
            self.slots.resize_with(i + 1, || None);
        }
        let old = self.slots[i].replace(Box::new(pod)).map(|b| *b);
        if old.is_none() {
            self.len += 1;
        }
        old
    }
    pub fn remove(&mut self, id: &PodId) -> Option<SimPod> {
        let old = self.slots.get_mut(slot(id))?.take().map(|b| *b);
        if old.is_some() {
            self.len -= 1;
        }
        old
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The pods in id (creation) order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &SimPod> + Clone + '_ {
        self.slots.iter().filter_map(|s| s.as_deref())
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut SimPod> + '_ {
        self.slots.iter_mut().filter_map(|s| s.as_deref_mut())
    }
    /// (id, pod) in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&PodId, &SimPod)> + Clone + '_ {
        self.values().map(|p| (&p.id, p))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &PodId> + Clone + '_ {
        self.values().map(|p| &p.id)
    }
}

fn slot(id: &PodId) -> usize {
    usize::try_from(*id).unwrap_or(usize::MAX)
}

impl std::ops::Index<&PodId> for PodStore {
    type Output = SimPod;
    fn index(&self, id: &PodId) -> &SimPod {
        self.get(id).expect("no pod with this id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    #[test]
    fn keeps_pods_in_id_order_and_finds_them_by_id() {
        let mut store = PodStore::default();
        for id in [3, 1, 7] {
            store.insert(id, SimPod::from_manifest(id, Pod::default(), 0));
        }
        assert_eq!(store.keys().copied().collect::<Vec<_>>(), vec![1, 3, 7]);
        assert!(store.remove(&3).is_some());
        assert!(store.remove(&3).is_none());
        assert_eq!(store.len(), 2);
        assert_eq!(store[&7].id, 7);
        assert!(store.get(&100).is_none());
    }
}
