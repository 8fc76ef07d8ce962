using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Phantoms;

/// <summary>Grid of a phantom. Anatomy is in millimetres, so the spacing decides how much of the spine is in view.</summary>
public sealed class PhantomOptions
{
    /// <summary>Voxels along NIfTI axes (x: anterior→posterior, y: inferior→superior, z: the sagittal slices, left→right).</summary>
    public Shape3 Shape { get; init; } = new(512, 512, 12);

    /// <summary>Voxel size in mm along x, y, z (default 0.6 × 0.6 × 4.4, as in the challenge data).</summary>
    public double[] Spacing { get; init; } = [0.6, 0.6, 4.4];

    /// <summary>Sub-samples across the slice thickness for the image (partial-volume edges between slices).</summary>
    public int SliceSamples { get; init; } = 4;

    public void Validate()
    {
        if (Shape.X < 16 || Shape.Y < 16 || Shape.Z < 1 || Shape.Count > 64L * 1024 * 1024)
            throw new ArgumentException($"Phantom shape {Shape} is out of range: each in-plane extent must be at least 16, and at most 64 Mi voxels in all.");
        if (Spacing.Length != 3 || Spacing.Any(s => !(s > 0.05 && s < 50)))
            throw new ArgumentException($"Phantom spacing [{string.Join(", ", Spacing)}] is out of range: three values in mm between 0.05 and 50.");
        if (SliceSamples is < 1 or > 16)
            throw new ArgumentException($"SliceSamples {SliceSamples} must be 1..16.");
    }
}
