using System.Runtime.InteropServices;
using Google.Protobuf;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model.Onnx;

/// <summary>
/// Appends nodes, initializers and typed inputs/outputs to an ONNX <see cref="GraphProto"/>. Names of intermediate
/// values are generated from the producing node's name, so the graph reads like the network in Netron.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphWriter(string name)
    {
        Graph = new GraphProto { Name = name };
    }

    /// <summary>Appends to an existing graph (e.g. an imported model's); its value names stay reserved.</summary>
    public OnnxGraphWriter(GraphProto graph)
    {
        Graph = graph;
        foreach (var v in graph.Input) _names.Add(v.Name);
        foreach (var t in graph.Initializer) _names.Add(t.Name);
        foreach (var n in graph.Node)
        {
            _names.Add(n.Name);
            foreach (var o in n.Output) _names.Add(o);
        }
    }

    public GraphProto Graph { get; }

    /// <summary>
    /// The graph as a model file (IR 8, producer MRISpineSeg) importing the default opset <paramref name="opset"/> and,
    /// when <paramref name="microsoftOpset"/> is given, ONNX Runtime's <c>com.microsoft</c> operators; with metadata entries.
    /// </summary>
    public ModelProto ToModel(string docString, long opset, IEnumerable<KeyValuePair<string, string>> metadata, long? microsoftOpset = null)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "MRISpineSeg",
            ProducerVersion = typeof(OnnxGraphWriter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = Graph,
            DocString = docString,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        if (microsoftOpset is { } ms) model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = ms });
        foreach (var (k, v) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    /// <summary>Adds a float32 initializer, stored as little-endian raw bytes (one copy of the data).</summary>
    public string AddInitializer(string name, ReadOnlySpan<long> dims, float[] data)
    {
        Reserve(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims.ToArray());
        t.RawData = UnsafeByteOperations.UnsafeWrap(MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a float16 initializer rounded from float32 (round to nearest even), as little-endian raw bytes.</summary>
    public string AddFloat16Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data)
    {
        Reserve(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16 };
        t.Dims.AddRange(dims.ToArray());
        var half = new Half[data.Length];
        for (var i = 0; i < half.Length; i++) half[i] = (Half)data[i];
        t.RawData = UnsafeByteOperations.UnsafeWrap(MemoryMarshal.AsBytes(half.AsSpan()).ToArray());
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Whether a node output, input or initializer already has <paramref name="name"/>.</summary>
    public bool Has(string name) => _names.Contains(name);

    /// <summary>Adds a uint8, int8 or int32 initializer (quantized weights, zero points, biases) as little-endian raw bytes.</summary>
    public string AddRawInitializer<T>(string name, ReadOnlySpan<long> dims, ReadOnlySpan<T> data)
        where T : unmanaged
    {
        Reserve(name);
        var type = typeof(T) == typeof(byte) ? TensorProto.Types.DataType.Uint8
            : typeof(T) == typeof(sbyte) ? TensorProto.Types.DataType.Int8
            : typeof(T) == typeof(int) ? TensorProto.Types.DataType.Int32
            : typeof(T) == typeof(float) ? TensorProto.Types.DataType.Float
            : throw new NotSupportedException($"initializer element type {typeof(T).Name}");
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims.ToArray());
        t.RawData = UnsafeByteOperations.UnsafeWrap(MemoryMarshal.AsBytes(data).ToArray());
        Graph.Initializer.Add(t);
        return name;
    }

    public string AddInt64Initializer(string name, long[] values)
    {
        Reserve(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>
    /// Slices [start, end) of one axis, every <paramref name="step"/>-th element; the bounds become int64 initializers
    /// named after the node. With <paramref name="after"/> (an int64 scalar that is always 0 at run time), the start is
    /// computed as start + after, which makes the slice wait for whatever produced <paramref name="after"/>.
    /// </summary>
    public string Slice(string name, string input, int axis, long start, long end, string? after = null, long step = 1)
    {
        var starts = AddInt64Initializer(name + ".starts", [start]);
        if (after is not null) starts = Node("Add", name + ".starts_after", [starts, after]);
        var ends = AddInt64Initializer(name + ".ends", [end]);
        var axes = AddInt64Initializer(name + ".axes", [axis]);
        if (step == 1) return Node("Slice", name, [input, starts, ends, axes]);
        var steps = AddInt64Initializer(name + ".steps", [step]);
        return Node("Slice", name, [input, starts, ends, axes, steps]);
    }

    /// <summary>Reshapes to fixed dims (0 keeps the input's extent on that axis, as ONNX Reshape does).</summary>
    public string Reshape(string name, string input, long[] shape, string? output = null)
        => Node("Reshape", name, [input, AddInt64Initializer(name + ".shape", shape)], null, output);

    /// <summary>
    /// Constant padding with ONNX's [begin..., end...] pads (negative pads crop); the value is 0, or the float scalar
    /// <paramref name="value"/> (which then also orders the Pad after whatever produced it).
    /// </summary>
    public string Pad(string name, string input, long[] pads, string? value = null)
        => Node("Pad", name, value is null ? [input, AddInt64Initializer(name + ".pads", pads)] : [input, AddInt64Initializer(name + ".pads", pads), value]);

    /// <summary>Adds a node with one output named <paramref name="name"/> (unless <paramref name="output"/> is given).</summary>
    public string Node(string opType, string name, string[] inputs, AttributeProto[]? attributes = null, string? output = null)
        => DomainNode(string.Empty, opType, name, inputs, attributes, output);

    /// <summary>A node of another operator set, e.g. ONNX Runtime's <c>com.microsoft</c> (QLinearAdd, channels-last QLinearConv).</summary>
    public string DomainNode(string domain, string opType, string name, string[] inputs, AttributeProto[]? attributes = null, string? output = null)
    {
        Reserve(name);
        var outName = output ?? name;
        if (output is not null) Reserve(output);
        var node = new NodeProto { OpType = opType, Name = name };
        if (domain.Length > 0) node.Domain = domain;
        node.Input.AddRange(inputs);
        node.Output.Add(outName);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outName;
    }

    public void AddInput(string name, TensorProto.Types.DataType type, long[] dims) => Graph.Input.Add(Value(name, type, dims));

    public void AddOutput(string name, TensorProto.Types.DataType type, long[] dims) => Graph.Output.Add(Value(name, type, dims));

    public static AttributeProto Ints(string name, params ReadOnlySpan<int> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        foreach (var v in values) a.Ints.Add(v);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Str(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX value name '{name}' is used twice.");
    }
}
