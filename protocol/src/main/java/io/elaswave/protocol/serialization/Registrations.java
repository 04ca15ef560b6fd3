package io.elaswave.protocol.serialization;

import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The one id → class table of the Kryo binding: the core entries below plus whatever the
 * {@link MessageRegistry} providers on the class path contribute. Every JVM of a cluster must
 * build the same table, so ids are explicit and never change (a test pins them).
 *
 * <p>Id blocks: 100–199 JDK and Pekko types, 200–999 this module's payloads, from
 * {@link #FIRST_CONTRIBUTED_ID} on the blocks of other modules.
 */
public final class Registrations {
  /** Kryo pre-registers its built-ins (primitives and their boxes, String) at 0–9; ours stay well clear. */
  public static final int FIRST_ID = 100;
  /** Providers' ids start here, so the core table can grow without colliding with them. */
  public static final int FIRST_CONTRIBUTED_ID = 1000;
  /** The runtime class of typed ActorRefs (internal to Pekko, hence looked up by name). */
  static final String ACTOR_REF_ADAPTER = "org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter";

  private final List<Registration> entries;
  private final Map<Integer, Registration> byId;
  private final Map<Class<?>, Registration> byClass;

  private Registrations(List<Registration> entries, Map<Integer, Registration> byId, Map<Class<?>, Registration> byClass) {
    this.entries = entries;
    this.byId = byId;
    this.byClass = byClass;
  }

  /** The core entries, in id order. */
  public static List<Registration> core() {
    return List.of(
        Registration.of(100, byte[].class),
        Registration.of(101, boolean[].class),
        Registration.of(102, int[].class),
        Registration.of(103, long[].class),
        Registration.of(104, float[].class),
        Registration.of(105, double[].class),
        Registration.of(106, String[].class),
        Registration.of(107, ArrayList.class),
        Registration.of(108, HashMap.class),
        Registration.of(109, LinkedHashMap.class),
        Registration.of(110, Optional.class),
        // JDK immutable collections (List.of, Set.of, Map.of, toList); Kryo's default
        // ImmutableCollectionsSerializers write them, read back as the same kind of collection.
        Registration.of(111, List.of().getClass()),
        Registration.of(112, List.of(1).getClass()),
        Registration.of(113, List.of(1, 2, 3).subList(0, 2).getClass()),
        Registration.of(114, Set.of().getClass()),
        Registration.of(115, Set.of(1).getClass()),
        Registration.of(116, Map.of().getClass()),
        Registration.of(117, Map.of(1, 2).getClass()),
        Registration.of(120, actorRefAdapterClass()),
        Registration.of(200, FloatTensor.class),
        Registration.of(201, TensorChunk.class));
  }

  /** The core table plus every {@link MessageRegistry} that {@code loader} can see. */
  public static Registrations load(ClassLoader loader) {
    List<MessageRegistry> providers = new ArrayList<>();
    ServiceLoader.load(MessageRegistry.class, loader).forEach(providers::add);
    return of(providers);
  }

  /**
   * The core table plus {@code providers}' entries.
   *
   * @throws IllegalStateException if an id or a class appears twice, or a provider uses an id
   *     below {@link #FIRST_CONTRIBUTED_ID}; the message names both claimants
   */
  public static Registrations of(List<MessageRegistry> providers) {
    Map<Integer, Registration> byId = new HashMap<>();
    Map<Class<?>, Registration> byClass = new HashMap<>();
    Map<Registration, String> source = new HashMap<>();
    for (Registration r : core()) {
      add(r, "core table", byId, byClass, source);
    }
    for (MessageRegistry provider : providers) {
      String name = provider.getClass().getName();
      for (Registration r : provider.registrations()) {
        if (r.id() < FIRST_CONTRIBUTED_ID) {
          throw new IllegalStateException("Kryo id " + r.id() + " (" + r.type().getName() + ") from " + name
              + " is below " + FIRST_CONTRIBUTED_ID + ", which is reserved for the core table");
        }
        add(r, name, byId, byClass, source);
      }
    }
    List<Registration> entries = new ArrayList<>(byId.values());
    entries.sort(Comparator.comparingInt(Registration::id));
    return new Registrations(List.copyOf(entries), Map.copyOf(byId), Map.copyOf(byClass));
  }

  private static void add(Registration r, String from, Map<Integer, Registration> byId,
      Map<Class<?>, Registration> byClass, Map<Registration, String> source) {
    Registration sameId = byId.putIfAbsent(r.id(), r);
    if (sameId != null) {
      throw new IllegalStateException("Kryo id " + r.id() + " is claimed twice: " + sameId.type().getName()
          + " (" + source.get(sameId) + ") and " + r.type().getName() + " (" + from + ")");
    }
    Registration sameClass = byClass.putIfAbsent(r.type(), r);
    if (sameClass != null) {
      throw new IllegalStateException("Class " + r.type().getName() + " is registered twice: id " + sameClass.id()
          + " (" + source.get(sameClass) + ") and id " + r.id() + " (" + from + ")");
    }
    source.put(r, from);
  }

  private static Class<?> actorRefAdapterClass() {
    try {
      return Class.forName(ACTOR_REF_ADAPTER, false, Registrations.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Pekko's typed ActorRef class " + ACTOR_REF_ADAPTER
          + " is missing; is pekko-actor-typed 1.7.x on the class path?", e);
    }
  }

  /** All entries, in id order. */
  public List<Registration> entries() {
    return entries;
  }

  public Optional<Registration> byId(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Optional<Registration> byClass(Class<?> type) {
    return Optional.ofNullable(byClass.get(type));
  }
}
