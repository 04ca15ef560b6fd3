package io.elaswave.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.elaswave.protocol.FloatTensor;

/**
 * {@link FloatTensor} as its length and raw floats: no per-component record machinery and no
 * null marker, since a tensor's array is never null.
 */
final class FloatTensorSerializer extends Serializer<FloatTensor> {

  FloatTensorSerializer() {
    super(false, true);
  }

  @Override
  public void write(Kryo kryo, Output output, FloatTensor tensor) {
    BulkFloats.write(output, tensor.values());
  }

  @Override
  public FloatTensor read(Kryo kryo, Input input, Class<? extends FloatTensor> type) {
    return new FloatTensor(BulkFloats.read(input));
  }
}
