#include "cli/Commands.h"

#include "aape/clip/Tokenizer.h"
#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace aape::cli {

namespace {

struct TokenizeOptions {
    std::string model;
    std::string vocab;
    bool noTruncate = false;
};

void runTokenize(const TokenizeOptions& options, CommandContext& context)
{
    if (options.model.empty() && options.vocab.empty()) {
        context.fail("tokenize needs --model PATH or --vocab FILE (bpe_simple_vocab_16e6.txt.gz or vocab.json).");
        return;
    }
    Result<clip::Tokenizer> tokenizer = clip::Tokenizer::forModel(options.model, options.vocab);
    if (!tokenizer) {
        context.fail(tokenizer.error());
        return;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        nlohmann::ordered_json record;
        record["text"] = line;
        record["ids"] = tokenizer->tokenize(line, !options.noTruncate);
        // Input that is not UTF-8 is echoed with U+FFFD, so every output line is valid JSON.
        context.out << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    context.out.flush();
}

} // namespace

void addTokenizeCommand(CLI::App& app, CommandContext& context)
{
    auto options = std::make_shared<TokenizeOptions>();
    CLI::App* command =
        app.add_subcommand("tokenize", "Tokenize text lines from stdin with CLIP's BPE; writes one JSON object "
                                       "{\"text\", \"ids\"} per line (ids include start and end tokens, no padding).");
    command->add_option("--model", options->model,
                        "CLIP model folder or file; its tokenizer files are looked up beside it");
    command->add_option(
        "--vocab", options->vocab,
        "Tokenizer vocabulary: bpe_simple_vocab_16e6.txt(.gz), or vocab.json with merges.txt beside it");
    command->add_flag("--no-truncate", options->noTruncate,
                      "Keep all ids instead of cutting to CLIP's 77-token context");
    command->callback([options, &context] { runTokenize(*options, context); });
}

} // namespace aape::cli
