<?php
// Does what the PHP samples of Paymo's docs (sections/samples/get.php, post.php) do, against the fake:
// curl with CURLOPT_USERPWD, an array CURLOPT_POSTFIELDS (sent as multipart/form-data) and
// json_decode($result, true)['projects']. Usage: php docs_samples.php <api-url> <email> <password>
[$script, $api, $email, $password] = $argv;

function paymo(string $url, string $email, string $password, ?array $post = null): array {
    $ch = curl_init();
    curl_setopt($ch, CURLOPT_URL, $url);
    curl_setopt($ch, CURLOPT_HTTPHEADER, array("Accept: application/json"));
    curl_setopt($ch, CURLOPT_USERPWD, $email . ":" . $password);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    if ($post !== null) {
        curl_setopt($ch, CURLOPT_POST, 1);
        curl_setopt($ch, CURLOPT_POSTFIELDS, $post);
    }
    $result = curl_exec($ch);
    if ($result === false) {
        fwrite(STDERR, "Curl error: " . curl_error($ch) . "\n");
        exit(1);
    }
    $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    return [$status, json_decode($result, true)];
}

[$status, $created] = paymo("$api/projects", $email, $password, array(
    "client_id" => 1001,
    "name" => "New Project",
    "description" => "Project added from API",
));
echo "POST status: $status\n";
echo "New project ID: " . $created['projects'][0]['id'] . "\n";

[$status, $list] = paymo("$api/projects", $email, $password);
echo "GET status: $status\n";
foreach ($list['projects'] as $project) {
    echo "project: " . $project['name'] . "\n";
}
