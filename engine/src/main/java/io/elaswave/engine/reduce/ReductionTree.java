package io.elaswave.engine.reduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed binary tree over [0, G): a node [lo, hi) splits at mid = (lo + hi) / 2 and its sum
 * is left + right, elementwise, in that order.
 */
public final class ReductionTree {
  private final int size;

  public ReductionTree(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("tree needs at least one micro-batch");
    }
    this.size = size;
  }

  public int size() {
    return size;
  }

  public TreeNode root() {
    return new TreeNode(0, size);
  }

  /** The maximal tree nodes lying wholly inside [from, to), in increasing order. */
  public List<TreeNode> cover(int from, int to) {
    if (from < 0 || to > size || from >= to) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is not inside [0, " + size + ")");
    }
    List<TreeNode> out = new ArrayList<>();
    collect(root(), from, to, out);
    return out;
  }

  private static void collect(TreeNode node, int from, int to, List<TreeNode> out) {
    if (node.hi() <= from || node.lo() >= to) {
      return;
    }
    if (node.within(from, to)) {
      out.add(node);
      return;
    }
    collect(node.left(), from, to, out);
    collect(node.right(), from, to, out);
  }

  /** The parent of {@code node}, or empty for the root. */
  public Optional<TreeNode> parent(TreeNode node) {
    TreeNode current = root();
    TreeNode parent = null;
    while (!current.equals(node)) {
      if (current.isLeaf() || node.lo() < current.lo() || node.hi() > current.hi()) {
        throw new IllegalArgumentException(node + " is not a node of the tree over [0, " + size + ")");
      }
      parent = current;
      current = node.hi() <= current.mid() ? current.left() : current.right();
    }
    return Optional.ofNullable(parent);
  }

  /**
   * The root sum from partial sums of nodes that partition [0, G). Missing nodes are formed from
   * their children; every sum is left + right in tree order, so the bits do not depend on which
   * nodes were given.
   */
  public float[] combine(Map<TreeNode, float[]> partials) {
    return sum(root(), partials);
  }

  /**
   * The sum of partial sums of disjoint nodes that may leave ids out (a step whose batch dropped
   * a replica's ids): a subtree with nothing given is skipped, a node with one side given is that
   * side, otherwise left + right in tree order. With every id covered it is {@link #combine}, bit
   * for bit. Null when nothing is given.
   */
  public float[] combineCovered(Map<TreeNode, float[]> partials) {
    return sumCovered(root(), partials);
  }

  private float[] sumCovered(TreeNode node, Map<TreeNode, float[]> partials) {
    float[] given = partials.get(node);
    if (given != null || node.isLeaf()) {
      return given;
    }
    float[] left = sumCovered(node.left(), partials);
    float[] right = sumCovered(node.right(), partials);
    return left == null ? right : right == null ? left : add(left, right);
  }

  private float[] sum(TreeNode node, Map<TreeNode, float[]> partials) {
    float[] given = partials.get(node);
    if (given != null) {
      return given;
    }
    if (node.isLeaf()) {
      throw new IllegalArgumentException("no partial sum covers micro-batch " + node.lo());
    }
    return add(sum(node.left(), partials), sum(node.right(), partials));
  }

  /** left + right elementwise, into a new array. */
  /** left += right, element by element: the same sums as {@link #add}, into the left operand. */
  static float[] addInto(float[] left, float[] right) {
    if (left.length != right.length) {
      throw new IllegalArgumentException("partial sums differ in length");
    }
    for (int i = 0; i < left.length; i++) {
      left[i] = left[i] + right[i];
    }
    return left;
  }

  static float[] add(float[] left, float[] right) {
    if (left.length != right.length) {
      throw new IllegalArgumentException("partial sums differ in length");
    }
    float[] out = new float[left.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = left[i] + right[i];
    }
    return out;
  }
}
