package io.elaswave.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.ByteBufferOutput;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serializer for every {@link io.elaswave.protocol.KryoMessage}, on Kryo 5.
 *
 * <p>Wire format: the manifest is the class's registration id in decimal; the payload is Kryo's
 * class id followed by the object. The id appears twice on purpose: a payload whose class id does
 * not match its manifest is rejected instead of being read as some other type. The byte[] and
 * ByteBuffer paths write the same bytes, so either can read what the other wrote.
 *
 * <p>Artery calls {@link #toBinary(Object, ByteBuffer)} with its pooled envelope buffer: we write
 * straight into it and never grow it, so a message too big for the frame raises
 * {@link BufferOverflowException}, which Artery logs as an oversized message and drops.
 * {@link #fromBinary(ByteBuffer, String)} copies everything out, since Artery reuses the buffer.
 *
 * <p>Thread-safe: Artery (de)serializes on several threads at once; Kryo instances and byte[]
 * outputs come from pools.
 */
public final class KryoSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  /**
   * Pekko's id for this serializer, written beside every message. NEVER change it: a node
   * with a different id cannot read what the others send. (Pekko reserves 0–40.)
   */
  public static final int IDENTIFIER = 731_905;

  private static final int POOL_SIZE = 32;
  private static final int OUTPUT_INITIAL_BYTES = 4 * 1024;
  /** Outputs that grew past this are dropped, not pooled, so a few huge messages do not pin heap. */
  private static final int OUTPUT_POOL_MAX_BYTES = 8 * 1024 * 1024;

  private final Registrations table;
  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;

  public KryoSerializer(ExtendedActorSystem system) {
    this(Registrations.load(system.dynamicAccess().classLoader()),
        () -> ActorRefResolver.get(Adapter.toTyped(system)),
        system.dynamicAccess().classLoader());
  }

  KryoSerializer(Registrations table, Supplier<ActorRefResolver> resolver, ClassLoader loader) {
    this.table = table;
    KryoFactory factory = new KryoFactory(table, new ActorRefSerializer(resolver), loader);
    this.kryos = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Kryo create() {
        return factory.create();
      }
    };
    this.outputs = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Output create() {
        return new Output(OUTPUT_INITIAL_BYTES, -1);
      }
    };
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object message) {
    return registrationOf(message).manifest();
  }

  @Override
  public byte[] toBinary(Object message) {
    registrationOf(message);
    Kryo kryo = kryos.obtain();
    Output out = outputs.obtain();
    try {
      kryo.writeClassAndObject(out, message);
      return out.toBytes();
    } catch (RuntimeException e) {
      throw writeFailure(message, e);
    } finally {
      if (out.getBuffer().length <= OUTPUT_POOL_MAX_BYTES) {
        outputs.free(out);
      }
      kryos.free(kryo);
    }
  }

  @Override
  public void toBinary(Object message, ByteBuffer buf) {
    registrationOf(message);
    Kryo kryo = kryos.obtain();
    try {
      // maxBufferSize = capacity: Kryo throws instead of silently moving to a bigger private buffer
      kryo.writeClassAndObject(new ByteBufferOutput(buf, buf.capacity()), message);
    } catch (RuntimeException e) {
      if (isOverflow(e)) {
        BufferOverflowException overflow = new BufferOverflowException();
        overflow.initCause(e);
        throw overflow;
      }
      throw writeFailure(message, e);
    } finally {
      kryos.free(kryo);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return read(new Input(bytes), manifest);
  }

  @Override
  public Object fromBinary(ByteBuffer buf, String manifest) throws NotSerializableException {
    return read(new ByteBufferInput(buf.duplicate()), manifest); // duplicate: Artery's buffer is left as it was
  }

  private Object read(Input in, String manifest) throws NotSerializableException {
    Registration expected = registrationOf(manifest);
    Kryo kryo = kryos.obtain();
    try {
      com.esotericsoftware.kryo.Registration found = kryo.readClass(in);
      if (found == null || found.getId() != expected.id()) {
        throw new IllegalArgumentException("payload starts with class id "
            + (found == null ? "null" : found.getId()) + ", manifest says " + expected.id());
      }
      Class<?> type = found.getType();
      Object message = kryo.readObject(in, type);
      if (in.position() != in.limit()) {
        throw new IllegalArgumentException((in.limit() - in.position()) + " bytes left after the message");
      }
      return message;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Corrupt elaswave-kryo payload for manifest " + manifest
          + " (" + expected.type().getName() + "): " + e.getMessage(), e);
    } finally {
      kryos.free(kryo);
    }
  }

  private Registration registrationOf(Object message) {
    return table.byClass(message.getClass()).orElseThrow(() -> new IllegalArgumentException(
        message.getClass().getName() + " has no Kryo id: add it to a MessageRegistry (see Registrations)"));
  }

  private Registration registrationOf(String manifest) throws NotSerializableException {
    int id;
    try {
      id = Integer.parseInt(manifest);
    } catch (NumberFormatException e) {
      id = -1;
    }
    Registration r = table.byId(id).orElse(null);
    if (r == null) {
      throw new NotSerializableException("Unknown elaswave-kryo manifest [" + manifest
          + "]: no class has this id here (a sender with a newer class table, or a different serializer?)");
    }
    return r;
  }

  private static RuntimeException writeFailure(Object message, RuntimeException e) {
    return new IllegalArgumentException(
        "Cannot serialize " + message.getClass().getName() + " with elaswave-kryo: " + e.getMessage(), e);
  }

  private static boolean isOverflow(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KryoBufferOverflowException || t instanceof BufferOverflowException) {
        return true;
      }
    }
    return false;
  }
}
