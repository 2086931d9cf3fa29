//! Sorting the lab's lists with one copy of the standard library's sort in the wasm.
//!
//! `slice::sort_by` is generic over the element and the comparison: every list type and every
//! closure sorted gets a whole copy of the algorithm (driftsort, about 4 KB of wasm each), and the
//! lab sorts two dozen kinds of lists (names, findings, revisions, pods by age). Here the sort
//! itself always orders indices through a `dyn` comparison, so there is one copy; only the small
//! step that moves the elements into that order is per type. Stable, as `slice::sort_by`.
//!
//! For lists a step of the simulation sorts every time (work queues), the standard sort stays.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items = &*items;
        let by_item: &mut dyn FnMut(&usize, &usize) -> Ordering = &mut |a, b| compare(&items[*a], &items[*b]);
        order.sort_by(by_item);
    }
    put_in_order(items, order);
}

/// Sorts `items` by the key `key` gives each.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Moves the items so that position `k` holds the one that was at `order[k]` (`order` is a
/// permutation of the positions), following each cycle of the permutation with swaps.
fn put_in_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_sort() {
        // (name, input)
        let cases: [(&str, Vec<i32>); 6] = [
            ("empty", vec![]),
            ("one", vec![7]),
            ("sorted", vec![1, 2, 3, 4]),
            ("reversed", vec![5, 4, 3, 2, 1]),
            ("one long cycle", vec![2, 3, 4, 5, 6, 1]),
            ("repeats and several cycles", vec![3, 1, 3, 2, 9, 0, 1, 8, 2]),
        ];
        for (name, input) in cases {
            let mut ours = input.clone();
            sort(&mut ours);
            let mut std = input;
            std.sort();
            assert_eq!(ours, std, "{name}");
        }
    }

    #[test]
    fn keeps_equal_items_in_their_order() {
        let mut pods = vec![("b", 2), ("a", 1), ("c", 2), ("d", 1), ("e", 0)];
        sort_by_key(&mut pods, |p| p.1);
        assert_eq!(pods, [("e", 0), ("a", 1), ("d", 1), ("b", 2), ("c", 2)]);
        sort_by(&mut pods, |a, b| b.1.cmp(&a.1));
        assert_eq!(pods, [("b", 2), ("c", 2), ("a", 1), ("d", 1), ("e", 0)]);
    }
}
