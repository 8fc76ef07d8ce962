namespace MRISpineSeg.Imaging.Nifti;

/// <summary>One NIfTI header extension: its ecode and the payload (esize − 8 bytes, padding included), kept opaque.</summary>
public sealed record NiftiExtension(int Code, byte[] Data);
