namespace MRISpineSeg.Imaging;

/// <summary>The file formats the imaging layer reads and writes.</summary>
public enum VolumeFormat
{
    /// <summary>NIfTI-1 or NIfTI-2, <c>.nii</c> or <c>.nii.gz</c>.</summary>
    Nifti,

    /// <summary>MetaImage, <c>.mha</c> (one file) or <c>.mhd</c> + raw.</summary>
    MetaImage,
}
