package io.elaswave.engine.reduce;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds the leaves of a contiguous range [from, to), fed in increasing id order, into the sums of
 * the range's cover nodes. A stack merges two finished siblings into their parent as soon as
 * both exist (like a binary counter), so at most O(log G) partial vectors are alive.
 */
public final class RangeAccumulator {
  private final ReductionTree tree;
  private final int from;
  private final int to;
  private final Deque<Entry> stack = new ArrayDeque<>();
  private int next;

  private record Entry(TreeNode node, float[] sum) {}

  public RangeAccumulator(ReductionTree tree, int from, int to) {
    tree.cover(from, to); // validates the range
    this.tree = tree;
    this.from = from;
    this.to = to;
    this.next = from;
  }

  /** Adds the leaf of micro-batch {@code id}; ids must arrive as from, from+1, … */
  public void add(int id, float[] leaf) {
    if (id != next) {
      throw new IllegalStateException("expected micro-batch " + next + " but got " + id);
    }
    next++;
    Entry top = new Entry(new TreeNode(id, id + 1), leaf);
    while (!stack.isEmpty()) {
      Entry below = stack.peek();
      TreeNode parent = tree.parent(top.node()).orElse(null);
      if (parent == null || !parent.within(from, to) || !parent.left().equals(below.node())
          || !parent.right().equals(top.node())) {
        break;
      }
      stack.pop();
      top = new Entry(parent, ReductionTree.add(below.sum(), top.sum()));
    }
    stack.push(top);
  }

  public boolean complete() {
    return next == to;
  }

  /** The sums of the cover nodes of [from, to), in increasing order. */
  public Map<TreeNode, float[]> result() {
    if (!complete()) {
      throw new IllegalStateException("range [" + from + ", " + to + ") is missing micro-batch " + next);
    }
    Map<TreeNode, float[]> out = new LinkedHashMap<>();
    stack.descendingIterator().forEachRemaining(e -> out.put(e.node(), e.sum()));
    return out;
  }
}
