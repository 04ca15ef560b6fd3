package io.elaswave.engine.reduce;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

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
  private final Consumer<float[]> spent;
  private int next;

  private record Entry(TreeNode node, float[] sum) {}

  public RangeAccumulator(ReductionTree tree, int from, int to) {
    this(tree, from, to, null);
  }

  /**
   * An accumulator that owns the leaves it is given: a parent's sum is made in its left child's
   * array (the same additions in the same order) and the right child's array goes to
   * {@code spent} (an arena's give). Leaves must then not be used by anyone else.
   */
  public RangeAccumulator(ReductionTree tree, int from, int to, Consumer<float[]> spent) {
    tree.cover(from, to); // validates the range
    this.tree = tree;
    this.from = from;
    this.to = to;
    this.next = from;
    this.spent = spent;
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
      if (spent == null) {
        top = new Entry(parent, ReductionTree.add(below.sum(), top.sum()));
      } else {
        float[] right = top.sum();
        top = new Entry(parent, ReductionTree.addInto(below.sum(), right));
        spent.accept(right);
      }
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
