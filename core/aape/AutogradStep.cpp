#include "aape/TrainStep.h"

#include "aape/fast/Sgd.h"

namespace aape::detail {

namespace {

// The aggregator's forward pass and autograd reward gradient for `job`'s classes (either thread).
void runAggregatorJob(StepContext& c, AggregatorJob& job, const torch::Tensor& x, std::int64_t batchRows)
{
    job.grads.clear();
    if (job.classes.empty()) {
        job.rewardSum = torch::zeros({}, x.options());
        job.rowSummaries = torch::empty({0, x.size(1)}, x.options());
        return;
    }
    torch::Tensor summaries; // [classes, d]
    if (c.config.literal) {
        std::vector<torch::Tensor> rows;
        for (auto k : job.classes)
            rows.push_back(c.net->aggregator->forwardLiteral(c.literalDescriptions[static_cast<std::size_t>(k)]).first);
        summaries = torch::stack(rows);
    } else {
        summaries = c.net->aggregator->forward(c.bank, torch::tensor(job.classes).to(c.device)).summary;
    }
    job.rowIndex = torch::tensor(job.rows).to(c.device);
    const auto pa = summaries.index_select(0, torch::tensor(job.slots).to(c.device));
    const auto xs = x.index_select(0, job.rowIndex);
    const auto rewardSum = torch::relu(torch::cosine_similarity(xs, pa, 1)).sum();
    // L_agg = −s·mean over the batch: this job's rows contribute their sum over B.
    const auto loss = rewardSum * (-c.config.rewardScale / static_cast<double>(batchRows));
    job.grads = torch::autograd::grad({loss}, c.aggregatorParams, {}, false, false, true);
    job.rowSummaries = pa.detach();
    job.rewardSum = rewardSum.detach();
}

// SGD on the aggregator with the two jobs' gradients, summed in a fixed order so that the
// result does not depend on which thread ran which job.
void updateAggregator(StepContext& c, const AggregatorJob& first, const AggregatorJob& second, double lr)
{
    torch::NoGradGuard noGrad;
    for (std::size_t k = 0; k < c.aggregatorParams.size(); ++k) {
        const auto& a = k < first.grads.size() ? first.grads[k] : torch::Tensor();
        const auto& b = k < second.grads.size() ? second.grads[k] : torch::Tensor();
        if (!a.defined() && !b.defined())
            continue;
        if (a.defined() && b.defined())
            sgdUpdate(c.aggregatorParams[k], a.contiguous(), c.momentum[c.aggregatorIndex[k]], lr, c.config.momentum,
                      c.config.weightDecay, b.contiguous());
        else
            sgdUpdate(c.aggregatorParams[k], (a.defined() ? a : b).contiguous(), c.momentum[c.aggregatorIndex[k]], lr,
                      c.config.momentum, c.config.weightDecay);
    }
}

} // namespace

// Split in two: the aggregator's job for some of the batch's classes runs on the worker thread
// (when there is one) while this thread runs the rest of the classes and h/g; the aggregator's
// update then overlaps h/g's. Without a worker the same jobs run in turn, with identical results.
torch::Tensor autogradStep(StepContext& c, const torch::Tensor& x, const std::vector<int>& labels, double lr)
{
    const auto batchRows = static_cast<std::int64_t>(labels.size());
    AggregatorJob jobs[2]; // [0]: this thread's, [1]: the worker's
    assignJobs(labels, jobs);
    const auto runWorkerJob = [&] { runAggregatorJob(c, jobs[1], x, batchRows); };
    if (c.worker)
        c.worker->start(runWorkerJob);
    else
        runWorkerJob();
    runAggregatorJob(c, jobs[0], x, batchRows);

    // h/g: everything but the distillation target, which needs both jobs' summaries.
    const auto y = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end())).to(c.device);
    const auto generated = c.net->h->forward(x); // [B, d]: h(x)
    torch::Tensor classTerm;                     // a = T·Aᵀ as a leaf: its gradient drives ClassTermTracker
    torch::Tensor logits;
    if (c.config.literal) {
        logits = detail::aapeLogitsLiteral(*c.net, x, generated, c.templates, c.data.logitScale);
    } else {
        const auto d = x.size(1);
        {
            torch::NoGradGuard noGrad;
            classTerm = c.classTerm.classTerm();
        }
        classTerm.requires_grad_(true);
        const auto& weight = c.net->g->weight;
        const auto imageTerm = torch::addmm(c.net->g->bias, generated, weight.narrow(1, d, d).t());
        logits = detail::combinerCosine(classTerm, imageTerm, x) * c.data.logitScale;
    }
    const auto task = torch::cross_entropy_loss(logits, y);

    if (c.worker)
        c.worker->wait();
    auto target = torch::empty_like(x); // p^a of each row's class, no gradient (stopgrad)
    for (const auto& job : jobs)
        if (!job.rows.empty())
            target.index_copy_(0, job.rowIndex,
                               torch::nn::functional::normalize(job.rowSummaries,
                                                                torch::nn::functional::NormalizeFuncOptions().dim(1)));
    const auto distill = c.config.distillForm == TrainConfig::DistillForm::SquaredNorm
                             ? (generated - target).square().sum(1).mean()
                             : torch::mse_loss(generated, target);
    const auto loss = task + c.config.distillWeight * distill;
    loss.backward();

    const auto runWorkerUpdate = [&] { updateAggregator(c, jobs[0], jobs[1], lr); };
    if (c.worker)
        c.worker->start(runWorkerUpdate);
    else
        runWorkerUpdate();
    {
        torch::NoGradGuard noGrad;
        for (const auto i : c.headIndex) {
            auto& p = c.params[i];
            auto& grad = p.mutable_grad();
            if (!grad.defined())
                continue;
            if (classTerm.defined() && i == c.combinerWeight) {
                // B, the image half, as usual; A, the class half, through the tracker.
                const auto d = p.size(0);
                auto imageHalf = p.narrow(1, d, d);
                auto imageMomentum = c.momentum[i].narrow(1, d, d);
                sgdUpdate(imageHalf, grad.narrow(1, d, d), imageMomentum, lr, c.config.momentum, c.config.weightDecay);
            } else {
                sgdUpdate(p, grad, c.momentum[i], lr, c.config.momentum, c.config.weightDecay);
            }
            grad.reset();
        }
        if (classTerm.defined())
            c.classTerm.step(classTerm.grad(), lr, c.config.momentum, c.config.weightDecay);
    }
    if (c.worker)
        c.worker->wait();

    const auto reward = (jobs[0].rewardSum + jobs[1].rewardSum) / static_cast<double>(batchRows);
    const auto correct = (logits.detach().argmax(1) == y).sum();
    return torch::stack(
               {task.detach(), distill.detach(), reward, correct.to(torch::kFloat), torch::zeros({}, task.options())})
        .to(torch::kDouble);
}

} // namespace aape::detail
