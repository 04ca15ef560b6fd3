package io.elaswave.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** {@code float[]} anywhere in a message (a record component, a list element), copied in bulk. */
final class FloatArraySerializer extends Serializer<float[]> {

  FloatArraySerializer() {
    super(false, true); // null is written by Kryo's own null marker; arrays are values, never copied
  }

  @Override
  public void write(Kryo kryo, Output output, float[] values) {
    BulkFloats.write(output, values);
  }

  @Override
  public float[] read(Kryo kryo, Input input, Class<? extends float[]> type) {
    return BulkFloats.read(input);
  }
}
