using System.Runtime.InteropServices;

namespace MRISpineSeg.Imaging.Volumes;

/// <summary>
/// A typed, contiguous voxel buffer in NIfTI memory order: x fastest, then y, then z
/// (linear index <c>x + X·(y + Y·z)</c>). Values are the stored values; any scaling lives on <see cref="Volume.Scaling"/>.
/// </summary>
public abstract class VoxelBuffer
{
    private protected VoxelBuffer()
    {
    }

    public abstract VoxelType Type { get; }

    public abstract int Length { get; }

    /// <summary>The raw bytes, native (little-endian) byte order.</summary>
    public abstract Span<byte> AsBytes();

    /// <summary>The buffer as <see cref="VoxelBuffer{T}"/>; throws when the element type differs.</summary>
    public VoxelBuffer<T> As<T>()
        where T : unmanaged
        => this as VoxelBuffer<T>
           ?? throw new InvalidOperationException($"Voxel buffer holds {VoxelTypes.Name(Type)}, not {VoxelTypes.Name(VoxelTypes.Of<T>())}.");

    /// <summary>Allocates a zeroed buffer of the given type.</summary>
    public static VoxelBuffer Allocate(VoxelType type, int length) => type switch
    {
        VoxelType.UInt8 => new VoxelBuffer<byte>(new byte[length]),
        VoxelType.Int8 => new VoxelBuffer<sbyte>(new sbyte[length]),
        VoxelType.Int16 => new VoxelBuffer<short>(new short[length]),
        VoxelType.UInt16 => new VoxelBuffer<ushort>(new ushort[length]),
        VoxelType.Int32 => new VoxelBuffer<int>(new int[length]),
        VoxelType.UInt32 => new VoxelBuffer<uint>(new uint[length]),
        VoxelType.Float32 => new VoxelBuffer<float>(GC.AllocateUninitializedArray<float>(length)),
        VoxelType.Float64 => new VoxelBuffer<double>(GC.AllocateUninitializedArray<double>(length)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>A voxel buffer of element type <typeparamref name="T"/>. See <see cref="VoxelBuffer"/> for the layout.</summary>
public sealed class VoxelBuffer<T> : VoxelBuffer
    where T : unmanaged
{
    public VoxelBuffer(T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Type = VoxelTypes.Of<T>();
    }

    /// <summary>The backing array, x fastest.</summary>
    public T[] Data { get; }

    public Span<T> Span => Data;

    public override VoxelType Type { get; }

    public override int Length => Data.Length;

    public override Span<byte> AsBytes() => MemoryMarshal.AsBytes(Data.AsSpan());
}
