package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationsTest {

  /**
   * The wire ids. A failure here means an id moved, and JVMs built before and after the change
   * can no longer read each other: add new ids instead of renumbering.
   */
  @Test
  void idsArePinned() {
    Map<Integer, String> expected = new LinkedHashMap<>();
    expected.put(100, "[B");
    expected.put(101, "[Z");
    expected.put(102, "[I");
    expected.put(103, "[J");
    expected.put(104, "[F");
    expected.put(105, "[D");
    expected.put(106, "[Ljava.lang.String;");
    expected.put(107, "java.util.ArrayList");
    expected.put(108, "java.util.HashMap");
    expected.put(109, "java.util.LinkedHashMap");
    expected.put(110, "java.util.Optional");
    expected.put(111, "java.util.ImmutableCollections$ListN");
    expected.put(112, "java.util.ImmutableCollections$List12");
    expected.put(113, "java.util.ImmutableCollections$SubList");
    expected.put(114, "java.util.ImmutableCollections$SetN");
    expected.put(115, "java.util.ImmutableCollections$Set12");
    expected.put(116, "java.util.ImmutableCollections$MapN");
    expected.put(117, "java.util.ImmutableCollections$Map1");
    expected.put(120, "org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
    expected.put(200, "io.elaswave.protocol.FloatTensor");
    expected.put(201, "io.elaswave.protocol.chunk.TensorChunk");
    // contributed by the test-scope TestMessages provider through ServiceLoader
    expected.put(9000, "io.elaswave.protocol.serialization.TestMessages$Ping");
    expected.put(9001, "io.elaswave.protocol.serialization.TestMessages$Pong");
    expected.put(9002, "io.elaswave.protocol.serialization.TestMessages$Mixed");
    expected.put(9003, "io.elaswave.protocol.serialization.TestMessages$Phase");
    expected.put(9004, "io.elaswave.protocol.serialization.TestMessages$Holder");

    Map<Integer, String> actual = new LinkedHashMap<>();
    for (Registration r : Registrations.load(getClass().getClassLoader()).entries()) {
      actual.put(r.id(), r.type().getName());
    }
    assertEquals(expected, actual);
  }

  @Test
  void duplicateIdNamesBothClaimants() {
    MessageRegistry a = () -> List.of(Registration.of(1000, String.class));
    MessageRegistry b = () -> List.of(Registration.of(1000, Integer.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(a, b)));
    assertTrue(e.getMessage().contains("Kryo id 1000 is claimed twice"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("java.lang.Integer"));
  }

  @Test
  void duplicateClassIsRejected() {
    MessageRegistry a = () -> List.of(Registration.of(1000, TestMessages.Unregistered.class));
    MessageRegistry b = () -> List.of(Registration.of(2000, TestMessages.Unregistered.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(a, b)));
    assertTrue(e.getMessage().contains("registered twice: id 1000"), e.getMessage());
  }

  @Test
  void providersMayNotUseTheCoreBlock() {
    MessageRegistry low = () -> List.of(Registration.of(150, TestMessages.Unregistered.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(low)));
    assertTrue(e.getMessage().contains("below 1000"), e.getMessage());
    MessageRegistry clash = () -> List.of(Registration.of(1000, float[].class));
    assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(clash)));
  }

  @Test
  void registrationsNeedConcreteClassesAndIdsFrom100() {
    assertThrows(IllegalArgumentException.class, () -> Registration.of(99, String.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, Runnable.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, Number.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, int.class));
    assertEquals("1000", Registration.of(1000, String.class).manifest());
  }
}
