package io.elaswave.engine.reduce;

/** The tree node covering micro-batch ids [lo, hi). */
public record TreeNode(int lo, int hi) implements Comparable<TreeNode> {
  public TreeNode {
    if (lo < 0 || hi <= lo) {
      throw new IllegalArgumentException("bad node [" + lo + ", " + hi + ")");
    }
  }

  public boolean isLeaf() {
    return hi - lo == 1;
  }

  /** The split point: left child [lo, mid), right child [mid, hi). */
  public int mid() {
    return (lo + hi) >>> 1;
  }

  public TreeNode left() {
    return new TreeNode(lo, mid());
  }

  public TreeNode right() {
    return new TreeNode(mid(), hi);
  }

  public boolean within(int from, int to) {
    return from <= lo && hi <= to;
  }

  @Override public int compareTo(TreeNode o) {
    return lo != o.lo ? Integer.compare(lo, o.lo) : Integer.compare(hi, o.hi);
  }

  @Override public String toString() {
    return "[" + lo + "," + hi + ")";
  }
}
