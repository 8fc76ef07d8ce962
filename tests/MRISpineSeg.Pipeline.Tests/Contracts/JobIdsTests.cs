using System.Security.Cryptography;
using System.Text;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Tests.Contracts;

public sealed class JobIdsTests
{
    [Fact]
    public void IdShouldBeSha256OfBlobNameNewlineETagInLowercaseHex()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Case1.nii.gz\n\"0x1\"")));
        Assert.Equal(expected, JobIds.For("Case1.nii.gz", "\"0x1\""));
        Assert.True(JobIds.IsValid(expected));
    }

    [Fact]
    public void SameBlobAndETagShouldGiveTheSameIdAndANewETagANewOne()
    {
        Assert.Equal(JobIds.For("a.nii", "1"), JobIds.For("a.nii", "1"));
        Assert.NotEqual(JobIds.For("a.nii", "1"), JobIds.For("a.nii", "2"));
        Assert.NotEqual(JobIds.For("a.nii1", ""+"x"), JobIds.For("a.nii", "1x"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123")]
    [InlineData("../../etc/passwd")]
    public void MalformedIdsShouldBeInvalid(string? id) => Assert.False(JobIds.IsValid(id));
}
