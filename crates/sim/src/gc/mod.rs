//! The garbage collectors of the controller manager: the owner-reference garbage collector
//! (`pkg/controller/garbagecollector`) and the pod GC (`pkg/controller/podgc`).

pub mod garbage_collector;
pub mod pod_gc;
