#include "aape/TrainStep.h"

#include "aape/fast/Blas.h"
#include "aape/fast/Sgd.h"

#include <initializer_list>

namespace aape::detail {

namespace {

// The aggregator's forward pass and hand-written reward gradient for `job`'s classes (either
// thread); AggregatorGradient.cpp says how.
void runAggregatorJobByHand(StepContext& c, AggregatorJob& job, const torch::Tensor& x, std::int64_t batchRows)
{
    if (job.classes.empty()) {
        job.rewardSum = torch::zeros({}, x.options());
        job.rowSummaries = torch::empty({0, x.size(1)}, x.options());
        return;
    }
    job.rowIndex = torch::tensor(job.rows).to(c.device);
    const auto xs = x.index_select(0, job.rowIndex);
    job.gradient = aggregatorRewardGradient(*c.net->aggregator, c.bank, job.classes, xs, job.slots,
                                            -c.config.rewardScale / static_cast<double>(batchRows));
    job.rowSummaries = job.gradient.summaries.index_select(0, torch::tensor(job.slots));
    job.rewardSum = job.gradient.rewardSum;
}

// The hand-written form's aggregator update: each weight matrix's gradient from both jobs'
// rows in one product, folded into its momentum buffer (buffer = μ·buffer + G), then
// buffer += wd·p, p −= lr·buffer: PyTorch's SGD, without a gradient tensor in between.
// `weights` picks which of the six matrices; `vectors` adds the remaining parameters.
void updateAggregatorHandWritten(StepContext& c, const AggregatorJob (&jobs)[2],
                                 std::initializer_list<std::size_t> weights, bool vectors, double lr)
{
    torch::NoGradGuard noGrad;
    // Rows in class order: the worker's job holds the lower class ids.
    const AggregatorJob* ordered[2] = {&jobs[1], &jobs[0]};
    for (const auto w : weights) {
        detail::WeightGradient combined;
        std::vector<torch::Tensor> outputGrads, inputs;
        for (const auto* job : ordered)
            if (!job->classes.empty()) {
                const auto& term = job->gradient.weights[w];
                combined.parameter = term.parameter;
                combined.firstRow = term.firstRow;
                outputGrads.push_back(term.outputGrad);
                inputs.push_back(term.input);
            }
        if (outputGrads.empty())
            continue;
        combined.outputGrad = outputGrads.size() == 1 ? outputGrads[0] : torch::cat(outputGrads);
        combined.input = inputs.size() == 1 ? inputs[0] : torch::cat(inputs);
        sgdStepWeightGradient(combined, c.momentumOf(combined.parameter), static_cast<float>(c.config.momentum),
                              static_cast<float>(c.config.weightDecay), static_cast<float>(lr));
    }
    if (!vectors)
        return;
    const auto count = jobs[0].classes.empty() ? jobs[1].gradient.vectors.size() : jobs[0].gradient.vectors.size();
    for (std::size_t k = 0; k < count; ++k) {
        torch::Tensor param, first, second;
        for (const auto* job : ordered)
            if (!job->classes.empty()) {
                param = job->gradient.vectors[k].first;
                (first.defined() ? second : first) = job->gradient.vectors[k].second;
            }
        sgdUpdate(param, first, c.momentumOf(param), lr, c.config.momentum, c.config.weightDecay, second);
    }
}

// The step's h/g half, differentiated by hand (the aggregator jobs are running or done): the
// same loss as the autograd form, CE(logits, y) + λ·mean((h(x) − p̂^a)²), without autograd's
// per-operation overhead. Then waits for the worker and updates.
torch::Tensor headStep(StepContext& c, const torch::Tensor& x, const std::vector<int>& labels, AggregatorJob (&jobs)[2],
                       double lr)
{
    torch::NoGradGuard noGrad;
    const auto batchRows = x.size(0);
    const auto d = x.size(1);
    const auto y = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end()));
    auto& h = *c.net->h;
    auto& gWeight = c.net->g->weight;
    const auto w1 = h.fc1->weight.detach();
    const auto w2 = h.fc2->weight.detach();
    const auto imageHalf = gWeight.detach().narrow(1, d, d); // B
    const auto f1 = gemm(x, false, w1, true, h.fc1->bias.detach());
    const auto hidden = torch::relu(f1);
    const auto generated = gemm(hidden, false, w2, true, h.fc2->bias.detach()); // h(x)
    const auto imageTerm = gemm(generated, false, imageHalf, true, c.net->g->bias.detach());
    const auto classTerm = c.classTerm.classTerm();
    const auto xs = x.contiguous();
    const auto parts = combinerCosineForward(classTerm, imageTerm, xs);
    const auto logits = parts.cosine * c.data.logitScale;
    const auto logProb = torch::log_softmax(logits, 1);
    const auto task = -logProb.gather(1, y.unsqueeze(1)).mean();
    // ∂CE/∂cos = scale·(softmax − onehot)/B
    auto gradCos = logProb.exp();
    gradCos.scatter_add_(1, y.unsqueeze(1), torch::full({batchRows, 1}, -1.0f));
    gradCos.mul_(c.data.logitScale / static_cast<double>(batchRows));
    auto gradClassTerm = torch::zeros_like(classTerm);
    auto gradImageTerm = torch::zeros_like(imageTerm);
    combinerCosineBackward(classTerm, imageTerm, xs, (gradCos * parts.invDen).contiguous(),
                           (gradCos * parts.ratio).contiguous(), gradClassTerm, gradImageTerm);

    if (c.worker)
        c.worker->wait();
    auto target = torch::empty_like(x); // p^a/|p^a| of each row's class (stopgrad)
    for (const auto& job : jobs)
        if (!job.rows.empty())
            target.index_copy_(0, job.rowIndex,
                               torch::nn::functional::normalize(job.rowSummaries,
                                                                torch::nn::functional::NormalizeFuncOptions().dim(1)));
    const auto difference = generated - target;
    const bool squaredNorm = c.config.distillForm == TrainConfig::DistillForm::SquaredNorm;
    const auto distill = squaredNorm ? difference.square().sum(1).mean() : difference.square().mean();
    // d(distill)/d(h(x)) = 2·difference / B for the squared norm, / (B·d) for the mean square.
    const double distillScale =
        2.0 * c.config.distillWeight / static_cast<double>(squaredNorm ? batchRows : difference.numel());
    // The worker updates W_q, W_k, W_v and FFN1; this thread W_o, FFN2 and the vectors,
    // then h and g. Each update reads and writes its weights and momentum (memory bound:
    // 8 MB for the two FFN matrices at d = 512), so the FFN is split between the threads.
    const auto runWorkerUpdate = [&] { updateAggregatorHandWritten(c, jobs, {0, 1, 2, 4}, false, lr); };
    if (c.worker)
        c.worker->start(runWorkerUpdate);
    else
        runWorkerUpdate();
    updateAggregatorHandWritten(c, jobs, {3, 5}, true, lr);

    // ∂/∂h(x): the distillation term and the combiner's image term.
    auto gradGenerated = gemm(gradImageTerm, false, imageHalf, false).add_(difference, distillScale);
    const auto gradBias = gradImageTerm.sum(0);
    const auto gradW2 = gemm(gradGenerated, true, hidden, false);
    const auto gradB2 = gradGenerated.sum(0);
    const auto gradF1 = gemm(gradGenerated, false, w2, false).masked_fill_(f1.le(0), 0.0f);
    const auto gradW1 = gemm(gradF1, true, xs, false);
    const auto gradB1 = gradF1.sum(0);

    const auto update = [&](torch::Tensor& param, const torch::Tensor& grad) {
        for (const auto i : c.headIndex)
            if (c.params[i].is_same(param)) {
                sgdUpdate(c.params[i], grad, c.momentum[i], lr, c.config.momentum, c.config.weightDecay);
                return;
            }
    };
    update(h.fc1->weight, gradW1);
    update(h.fc1->bias, gradB1);
    update(h.fc2->weight, gradW2);
    update(h.fc2->bias, gradB2);
    update(c.net->g->bias, gradBias);
    {
        // B, the image half: its gradient (∂L/∂u)ᵀ·h(x) goes straight into the momentum
        // buffer, as the aggregator's weights do (updateAggregatorHandWritten).
        auto imageWeight = gWeight.narrow(1, d, d);
        auto imageMomentum = c.momentum[c.combinerWeight].narrow(1, d, d);
        sgemmSgd(true, d, d, batchRows, 1.0f, gradImageTerm.data_ptr<float>(), d, generated.data_ptr<float>(), d,
                 static_cast<float>(c.config.momentum), imageMomentum.data_ptr<float>(), imageMomentum.stride(0),
                 imageWeight.data_ptr<float>(), imageWeight.stride(0), static_cast<float>(c.config.weightDecay),
                 static_cast<float>(lr));
    }
    c.classTerm.step(gradClassTerm, lr, c.config.momentum, c.config.weightDecay);
    if (c.worker)
        c.worker->wait();

    const auto reward = (jobs[0].rewardSum + jobs[1].rewardSum) / static_cast<double>(batchRows);
    const auto correct = (logits.argmax(1) == y).sum();
    return torch::stack({task, distill, reward, correct.to(torch::kFloat), torch::zeros({}, task.options())})
        .to(torch::kDouble);
}

} // namespace

torch::Tensor handWrittenStep(StepContext& c, const torch::Tensor& x, const std::vector<int>& labels, double lr)
{
    const auto batchRows = static_cast<std::int64_t>(labels.size());
    AggregatorJob jobs[2]; // [0]: this thread's, [1]: the worker's
    assignJobs(labels, jobs);
    const auto runWorkerJob = [&] { runAggregatorJobByHand(c, jobs[1], x, batchRows); };
    if (c.worker)
        c.worker->start(runWorkerJob);
    else
        runWorkerJob();
    runAggregatorJobByHand(c, jobs[0], x, batchRows);
    return headStep(c, x, labels, jobs, lr);
}

} // namespace aape::detail
