using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Status;

namespace MRISpineSeg.Functions;

/// <summary><c>GET /api/jobs/{id}</c>: the job's state, reason and timings as JSON; 400 for a malformed id, 404 for an unknown one.</summary>
public sealed class GetJobStatus(JobStatusStore store)
{
    [Function(nameof(GetJobStatus))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!JobIds.IsValid(id))
            return await JsonAsync(request, HttpStatusCode.BadRequest, JobStatusJson.Error($"job id \"{id}\" is not 64 lowercase hex characters (the SHA-256 job id returned at upload)"), cancellationToken).ConfigureAwait(false);
        var status = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return status is null
            ? await JsonAsync(request, HttpStatusCode.NotFound, JobStatusJson.Error($"no job {id}"), cancellationToken).ConfigureAwait(false)
            : await JsonAsync(request, HttpStatusCode.OK, JobStatusJson.Serialize(status), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpResponseData> JsonAsync(HttpRequestData request, HttpStatusCode code, byte[] body, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(code);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
