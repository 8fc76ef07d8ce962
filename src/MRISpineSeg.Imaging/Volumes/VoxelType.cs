namespace MRISpineSeg.Imaging.Volumes;

/// <summary>The element types a voxel buffer can hold. These are the NIfTI/MetaImage scalar types this product supports.</summary>
public enum VoxelType
{
    UInt8,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
    Float64,
}
